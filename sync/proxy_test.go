package sync

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strconv"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"
)

// faultKind is what the proxy does to one connection.
type faultKind int

const (
	// faultCut forwards the request, then only the first n bytes of the
	// response, then resets the client connection.
	faultCut faultKind = iota + 1
	// faultCutPermille is faultCut at n/1000 of the response's length.
	faultCutPermille
	// faultResetAfterCommit forwards the request, waits until the server
	// starts answering (it has committed) and resets the client connection
	// without forwarding a byte of the answer.
	faultResetAfterCommit
	// faultStatus answers the request itself with an HTTP status (5xx
	// bursts) without reaching the server.
	faultStatus
	// faultDropRequest closes the connection before the server sees the
	// request.
	faultDropRequest
	// faultHold forwards the request, reads the whole answer (the server
	// committed), calls the proxy's onHold and never answers until the
	// client goes away.
	faultHold
	// faultRestart restarts the server (close and reopen the portal on the
	// same database file), then forwards the request to the new one.
	faultRestart
)

// fault is one planned fault for the next connection whose request line
// contains match (e.g. "GET /v1/zones/5275/feed" or "/actions").
type fault struct {
	match string
	kind  faultKind
	n     int // bytes for faultCut, status for faultStatus
}

// faultProxy is a TCP proxy between the engine and the portal's
// httptest.Server. The engine's transport must not keep connections alive,
// so each request is one connection and faults apply per request.
type faultProxy struct {
	t  testing.TB
	ln net.Listener

	mu      stdsync.Mutex
	target  string
	plan    []fault
	restart func() string // restarts the server, returns its new address
	onHold  func()        // called by faultHold once the server answered
	// onDone is called after an answer was forwarded whole, with the
	// request line.
	onDone func(line string)
	log    []string // request lines seen, for test diagnostics
	sizes  map[string]int
	// lastCut and lastLen say where the last faultCut cut an answer of
	// lastLen bytes.
	lastCut, lastLen int

	conns   stdsync.WaitGroup
	applied atomic.Int64
}

func newFaultProxy(t testing.TB, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, ln: ln, target: target, sizes: map[string]int{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.conns.Wait()
	})
	return p
}

func (p *faultProxy) URL() string { return "http://" + p.ln.Addr().String() }

// add plans faults, consumed in order by the first matching connection.
func (p *faultProxy) add(fs ...fault) {
	p.mu.Lock()
	p.plan = append(p.plan, fs...)
	p.mu.Unlock()
}

func (p *faultProxy) setTarget(addr string) {
	p.mu.Lock()
	p.target = addr
	p.mu.Unlock()
}

// pending is how many planned faults were not used yet.
func (p *faultProxy) pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.plan)
}

// cutInfo returns where the last cut fell and the answer's length.
func (p *faultProxy) cutInfo() (at, length int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastCut, p.lastLen
}

// lastSize is the size in bytes of the last complete response to a request
// whose line contained match.
func (p *faultProxy) lastSize(match string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sizes[match]
}

func (p *faultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		go func() {
			defer p.conns.Done()
			p.handle(c)
		}()
	}
}

// take returns the first planned fault matching line, removing it.
func (p *faultProxy) take(line string) (fault, string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = append(p.log, line)
	for i, f := range p.plan {
		if strings.Contains(line, f.match) {
			p.plan = append(p.plan[:i:i], p.plan[i+1:]...)
			return f, p.target, true
		}
	}
	return fault{}, p.target, false
}

func (p *faultProxy) handle(client net.Conn) {
	defer client.Close()
	client.SetDeadline(time.Now().Add(60 * time.Second))
	br := bufio.NewReader(client)
	// Peek the request line without consuming it.
	var line string
	for n := 16; ; n *= 2 {
		b, err := br.Peek(n)
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = string(b[:i])
			break
		}
		if err != nil {
			return
		}
	}
	f, target, ok := p.take(line)
	if ok {
		p.applied.Add(1)
	}
	switch {
	case ok && f.kind == faultDropRequest:
		return
	case ok && f.kind == faultStatus:
		readRequest(br)
		body := `{"error":{"code":"internal","message":"injected"}}`
		io.WriteString(client, "HTTP/1.1 "+strconv.Itoa(f.n)+" Injected\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
		return
	case ok && f.kind == faultRestart:
		target = p.restart()
		p.setTarget(target)
	}
	server, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer server.Close()
	server.SetDeadline(time.Now().Add(60 * time.Second))
	// Client → server: the buffered request, then whatever follows.
	go func() {
		io.Copy(server, br)
		if tc, ok := server.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
	}()
	switch {
	case ok && f.kind == faultResetAfterCommit:
		var one [1]byte
		if _, err := io.ReadFull(server, one[:]); err != nil {
			return
		}
		// Give the rest of the answer a moment so the server finished
		// writing (it committed before the first byte anyway).
		if tc, ok := client.(*net.TCPConn); ok {
			tc.SetLinger(0) // RST, not FIN
		}
		return
	case ok && f.kind == faultHold:
		io.ReadAll(server)
		p.mu.Lock()
		hold := p.onHold
		p.mu.Unlock()
		if hold != nil {
			hold()
		}
		io.Copy(io.Discard, client) // until the client dies
		return
	case ok && (f.kind == faultCut || f.kind == faultCutPermille):
		// The request asked for Connection: close, so the whole answer
		// is what the server sends until it closes.
		resp, _ := io.ReadAll(server)
		at := f.n
		switch {
		case f.kind == faultCutPermille:
			at = len(resp) * f.n / 1000
		case at < 0: // counted from the end
			at = max(0, len(resp)+at)
		}
		at = min(at, len(resp))
		client.Write(resp[:at])
		p.mu.Lock()
		p.lastCut, p.lastLen = at, len(resp)
		p.mu.Unlock()
		if tc, ok := client.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		return
	}
	n, _ := io.Copy(client, server)
	p.mu.Lock()
	for _, key := range []string{"/feed", "/actions", "/audit", "/me"} {
		if strings.Contains(line, key) {
			p.sizes[key] = int(n)
		}
	}
	done := p.onDone
	p.mu.Unlock()
	if done != nil {
		done(line)
	}
}

// readRequest consumes one request (headers and a Content-Length body).
func readRequest(br *bufio.Reader) {
	length := 0
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return
		}
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			break
		}
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, "Content-Length") {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	io.CopyN(io.Discard, br, int64(length))
}

// clear drops the faults not used yet.
func (p *faultProxy) clear() {
	p.mu.Lock()
	p.plan = nil
	p.mu.Unlock()
}
