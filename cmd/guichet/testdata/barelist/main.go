// Command barelist is the baseline of BenchmarkListProcess100k: the least
// a Go program linking Bubble Tea and the same SQLite driver does to print
// the 50 newest complaints of a guichet cache — open the file, one query,
// a table on stdout. What guichet list costs above it is guichet's own.
package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	_ "modernc.org/sqlite"
)

// linked makes Bubble Tea part of the program (its init and its size), as
// in guichet.
var linked = tea.NewProgram

func main() {
	if len(os.Args) != 2 || linked == nil {
		fmt.Fprintln(os.Stderr, "usage: barelist CACHE")
		os.Exit(2)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: os.Args[1]}).EscapedPath()+
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	// The newest 50 of every status, as the cache's indexes serve them: its
	// queue indexes start with the status (store migration 0011 dropped
	// the one on received_at alone), so each status's range is read in
	// order and SQLite merges them (MERGE (UNION ALL), no sort), as guichet
	// does. A plain ORDER BY over the table would scan and sort all of it
	// (~150 ms): no baseline for a program that reads 50 rows.
	var arms []string
	for _, st := range []string{"new", "claimed", "handled", "rejected", "forwarded"} {
		arms = append(arms, `SELECT reference, status, received_at, fact_type, municipality, complainant
		FROM complaints WHERE status = '`+st+`'`)
	}
	rows, err := db.Query(strings.Join(arms, " UNION ALL ") + ` ORDER BY received_at DESC, reference DESC LIMIT 50`)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer rows.Close()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	for rows.Next() {
		var ref, status, factType, place, who string
		var received int64
		if err := rows.Scan(&ref, &status, &received, &factType, &place, &who); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", ref, status, time.Unix(0, received).Format("2006-01-02 15:04"), factType, place, who)
	}
	if err := rows.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
