package config

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

type fileValue struct {
	value string
	line  int
}

var keyRE = sync.OnceValue(func() *regexp.Regexp { // compiled at first use, not at every start
	return regexp.MustCompile(`^([a-z_]+|key\.[a-z0-9_]+|copy_format\.[a-z_]+)$`)
})

// readFile parses the configuration file. A missing file gives no values,
// found false and no error.
func readFile(path string) (map[string]fileValue, bool, Errors) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	fileErr := func(code string, err error) Errors {
		return Errors{{Origin: Origin{Source: SourceFile}, Path: path, Code: code, Err: err}}
	}
	if err != nil {
		return nil, false, fileErr(ErrFileRead, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, true, fileErr(ErrFileRead, err)
	}
	if len(data) > MaxFileBytes {
		return nil, true, fileErr(ErrFileTooLarge, nil)
	}
	vals, errs := parse(path, data)
	return vals, true, errs
}

// parse reads "key = value" lines; see the package documentation.
func parse(path string, data []byte) (map[string]fileValue, Errors) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	vals := map[string]fileValue{}
	var errs Errors
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxFileBytes+1)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		bad := func(key, value, code string) {
			errs = append(errs, &Error{Origin: Origin{Source: SourceFile, Line: n}, Path: path, Key: key, Value: value, Code: code})
		}
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case !utf8.ValidString(line) || strings.ContainsFunc(line, isControl):
			bad("", "", ErrBadText)
			continue
		case strings.HasPrefix(line, "["):
			bad("", line, ErrSection)
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			bad("", line, ErrNoEquals)
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !keyRE().MatchString(k) {
			bad(k, v, ErrUnknownKey)
			continue
		}
		if prev, dup := vals[k]; dup {
			e := &Error{Origin: Origin{Source: SourceFile, Line: n}, Path: path, Key: k, Value: v, Code: ErrDuplicateKey, OtherLine: prev.line}
			errs = append(errs, e)
			continue
		}
		vals[k] = fileValue{v, n}
	}
	return vals, errs
}

func isControl(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// keyNameRE is what a bound key may look like: a printable character or a
// Bubble Tea key name such as "ctrl+c", "shift+tab", "pgdown", "f5".
var keyNameRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([[:graph:]]|[a-z0-9]+(\+[a-z0-9]+)*)$`)
})

// parseKeyList splits "c, C" into ["c", "C"]; "space" and "comma" name the
// keys that cannot be written in the list.
func parseKeyList(s string) ([]string, string) {
	var keys []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k := strings.TrimSpace(part)
		switch k {
		case "":
			return nil, ErrBadKeyList
		case "space":
			k = " "
		case "comma":
			k = ","
		default:
			if !keyNameRE().MatchString(k) {
				return nil, ErrBadKeyList
			}
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys, ""
}

// ValidateKeys checks the rebound actions against the action names the TUI
// knows, and that no key is bound to two rebound actions. It reports every
// problem, with file lines.
func (c Config) ValidateKeys(known []string) error {
	var errs Errors
	actions := make([]string, 0, len(c.Keys))
	for a := range c.Keys {
		actions = append(actions, a)
	}
	// Report in file order so messages read top to bottom.
	sortByLine(actions, func(a string) int { return c.Origins["key."+a].Line })
	owner := map[string]string{}
	for _, a := range actions {
		o := c.Origins["key."+a]
		if !contains(known, a) {
			errs = append(errs, &Error{Origin: o, Path: c.pathFor("key." + a), Key: "key." + a, Code: ErrUnknownAction})
			continue
		}
		for _, k := range c.Keys[a] {
			if prev, taken := owner[k]; taken {
				errs = append(errs, &Error{Origin: o, Path: c.pathFor("key." + a), Key: "key." + a, Value: displayKey(k),
					Code: ErrKeyConflict, OtherKey: "key." + prev, OtherLine: c.Origins["key."+prev].Line})
				continue
			}
			owner[k] = a
		}
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errs
}

func sortByLine(s []string, line func(string) int) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (line(s[j]) < line(s[j-1]) || line(s[j]) == line(s[j-1]) && s[j] < s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func displayKey(k string) string {
	switch k {
	case " ":
		return "space"
	case ",":
		return "comma"
	}
	return k
}
