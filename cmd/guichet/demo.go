package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"guichet/citizen"
	"guichet/i18n"
	"guichet/lock"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
	gsync "guichet/sync"
)

// Demo settings: the zone of the README's example, enough complaints for
// a queue that scrolls, and a new one every ~20 s so it stays alive.
const (
	demoZone     = "5275"
	demoCount    = 300
	demoOfficer  = "Inspecteur Dupont"
	demoNewEvery = 20 * time.Second
)

// runDemo runs the workstation against an embedded portal (the real portal
// package on 127.0.0.1, random port) with temporary databases. Nothing
// outside one temporary folder is written, and that folder is removed on
// exit.
func runDemo(ctx context.Context, cfg Config) int {
	dir, err := os.MkdirTemp("", "guichet-demo-")
	if err != nil {
		fmt.Fprintln(cfg.Stderr, err)
		return exitFailure
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(cfg.Stderr, i18n.For(cfg.Lang).CLI.Messages.Demo.F(demoZone, demoCount))
	code, err := demo(ctx, cfg, dir)
	if err != nil {
		fmt.Fprintln(cfg.Stderr, err)
	}
	return code
}

func demo(ctx context.Context, cfg Config, dir string) (int, error) {
	clock := &demoClock{}
	srv, err := portal.Open(filepath.Join(dir, "portal.db"), portal.Options{Now: clock.Now})
	if err != nil {
		return exitFailure, err
	}
	defer srv.Close()
	if err := seedHistory(ctx, srv, clock, demoCount, time.Now().UnixNano()); err != nil {
		return exitFailure, err
	}
	token, officer, err := srv.AddOfficer(demoZone, demoOfficer)
	if err != nil {
		return exitFailure, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return exitFailure, err
	}
	// The citizen's form is served beside the API, as guichetd does: file
	// a complaint in a browser and watch it arrive in the queue.
	form, err := citizen.New(srv, citizen.Options{})
	if err != nil {
		return exitFailure, err
	}
	formURL := "http://" + ln.Addr().String() + "/"
	fmt.Fprintln(cfg.Stderr, i18n.For(cfg.Lang).CLI.Messages.DemoForm.F(formURL))
	hs := &http.Server{Handler: form.Mount(srv.Handler()), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()

	if err := os.Mkdir(filepath.Join(dir, "cache"), 0o700); err != nil {
		return exitFailure, err
	}
	st, err := store.Open(filepath.Join(dir, "cache", "cache.db"))
	if err != nil {
		return exitFailure, err
	}
	defer st.Close()
	cfg.Server = "http://" + ln.Addr().String()
	cfg.Token = token
	eng, err := gsync.New(gsync.Options{Server: cfg.Server, Token: token, Lang: cfg.Lang, DebugLog: openDebugLog(st)}, st)
	if err != nil {
		return exitFailure, err
	}
	if _, err := eng.Hello(ctx); err != nil {
		return exitFailure, err
	}

	// A new complaint now and then, filed through the portal's intake.
	liveCtx, stopLive := context.WithCancel(ctx)
	liveDone := make(chan struct{})
	go func() {
		defer close(liveDone)
		t := time.NewTicker(demoNewEvery)
		defer t.Stop()
		for n := int64(1); ; n++ {
			select {
			case <-liveCtx.Done():
				return
			case <-t.C:
			}
			if _, err := demodata.Seed(liveCtx, srv, demoZone, 1, time.Now().UnixNano()+n); err == nil {
				eng.Trigger()
			}
		}
	}()
	// The demo's PIN is preset (cheap parameters, in memory) and shown on
	// the first screen.
	lk, err := lock.NewDemo("")
	if err != nil {
		stopLive()
		<-liveDone
		return exitFailure, err
	}
	code, _ := workstation(ctx, cfg, st, eng, officer, demoZone, session{lock: lk, notices: []string{lock.DemoMessage(cfg.Lang), i18n.For(cfg.Lang).CLI.Messages.DemoForm.F(formURL)}})
	stopLive()
	<-liveDone
	if errors.Is(ctx.Err(), context.Canceled) {
		return exitOK, nil
	}
	return code, nil
}
