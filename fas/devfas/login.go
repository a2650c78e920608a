package devfas

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// Login plays a citizen's browser on the authorize page at authURL (as
// Begin of package fas makes it): it opens the page, picks person and
// method (one of Methods) or cancels, and returns the URL the provider
// sends the browser back to, the relying party's callback with code and
// state (or error=access_denied). It follows no redirect of the relying
// party. For tests and scripted demos of the forms that use the provider.
func Login(authURL string, person Person, method string, cancel bool) (*url.URL, error) {
	client := &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	resp, err := client.Get(authURL)
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("devfas: authorize page: %s", resp.Status)
	}
	m := requestFieldPattern.FindSubmatch(page)
	if m == nil {
		return nil, errors.New("devfas: no request on the authorize page")
	}
	form := url.Values{"request": {string(m[1])}, "person": {person.NationalNumber}, "method": {method}}
	if cancel {
		form.Set("cancel", "1")
	} else {
		form.Set("continue", "1")
	}
	u, err := url.Parse(authURL)
	if err != nil {
		return nil, err
	}
	u.RawQuery = ""
	resp, err = client.PostForm(u.String(), form)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("devfas: choice answered %s, not a redirect", resp.Status)
	}
	return url.Parse(resp.Header.Get("Location"))
}

var requestFieldPattern = regexp.MustCompile(`name="request" value="([^"]+)"`)
