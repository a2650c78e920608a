package store

// sqliteStackDepth is room on a goroutine's stack for SQLite's work: the
// C code translated to Go keeps its locals on the caller's stack, and
// opening a cache (reading its schema) then preparing and running the
// queue's page query goes about 30 kB deep (guichet list still ran with
// debug.SetMaxStack(32 KiB), not with 16 KiB). Twice that, for the
// statements of other commands.
const sqliteStackDepth = 60 << 10

// stackNeverTouched is 0: reserveStack's argument, which the compiler
// cannot see is constant (a constant would let it drop the frame).
var stackNeverTouched = 0

// reserveStack grows the calling goroutine's stack, in one step, to hold
// sqliteStackDepth more bytes than it holds now, and touches none of them.
// A goroutine starts with 8 kB and doubles its stack each time a call
// does not fit: each doubling copies the stack into fresh memory and
// walks every frame on it (their tables), and SQLite's calls, deep and
// made of many functions, made three such copies in a `guichet list`,
// most of them while parsing the schema. Done here, at the open, the one
// copy is of a shallow stack; the pages of the bigger stack are faulted
// in only as SQLite reaches them. Measured with perf stat on the
// 100,000-complaint cache: about 20 fewer page faults per `guichet list`
// (each costs about 30 µs on the virtual machines the benchmarks run on).
//
//go:noinline
func reserveStack(touch int) byte {
	if touch > 0 {
		var frame [sqliteStackDepth]byte
		frame[touch%len(frame)] = 1
		return frame[touch/2%len(frame)]
	}
	return 0
}
