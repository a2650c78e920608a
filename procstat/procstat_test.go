package procstat

import "testing"

func TestParseStat(t *testing.T) {
	for _, tc := range []struct {
		line string
		want float64
	}{
		{"1234 (guichetd) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 130 0 0 20 0 9 0 100 0 0", 3.8},
		{"99 (postgres: a (b) c) R 1 99 99 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 5 0 0", 0.1},
	} {
		got, err := parseStat(tc.line)
		if err != nil || got != tc.want {
			t.Errorf("parseStat(%q) = %v, %v; want %v", tc.line, got, err, tc.want)
		}
	}
	if _, err := parseStat("1234 guichetd S 1"); err == nil {
		t.Error("a line without a command in parentheses is read")
	}
}
