package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// openPTY opens a pseudo-terminal of 80×24: the master, read by the test,
// and the slave, the child's terminal (standard input, output and error).
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if err := ioctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlock the pty: %w", err)
	}
	var n uint32
	if err := ioctl(master, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("pty number: %w", err)
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	ws := struct{ row, col, x, y uint16 }{24, 80, 0, 0}
	if err := ioctl(slave, syscall.TIOCSWINSZ, unsafe.Pointer(&ws)); err != nil {
		master.Close()
		slave.Close()
		return nil, nil, fmt.Errorf("pty size: %w", err)
	}
	return master, slave, nil
}

func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

// answerTerminal reads what the child writes to its terminal until the
// master closes and answers the queries a terminal answers (background
// colour, cursor position), as tmux or xterm would: a program waiting for
// them would otherwise wait for its timeout.
func answerTerminal(master *os.File) {
	buf := make([]byte, 64<<10)
	var tail []byte
	for {
		n, err := master.Read(buf)
		if n > 0 {
			seen := append(tail, buf[:n]...)
			answered := false
			if bytes.Contains(seen, []byte("\x1b]11;?")) {
				io.WriteString(master, "\x1b]11;rgb:0000/0000/0000\x1b\\")
				answered = true
			}
			if bytes.Contains(seen, []byte("\x1b[6n")) {
				io.WriteString(master, "\x1b[1;1R")
				answered = true
			}
			// A query cut between two reads is in the tail of the first.
			tail = append(tail[:0], seen[max(0, len(seen)-8):]...)
			if answered {
				tail = tail[:0]
			}
		}
		if err != nil {
			return
		}
	}
}
