package lint

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	netutils "k8s.io/utils/net"
)

// kubeadm's ValidateCertSANs calls apimachinery's IsWildcardDNS1123Subdomain for every name that
// is not a plain DNS subdomain, and that function compiles its regexp on each call: 30 µs a
// name, most of the time a list of 100,000 bad names took. splitCertSANs makes the same checks
// with each regexp compiled once, and hands kubeadm only the names that pass the first one.
//
// The messages stay kubeadm's, byte for byte. Each check's answer depends only on whether a name
// is too long and whether it matches the check's regexp, so the answers are read once from
// apimachinery itself, and so is each regexp, from the error that quotes it.

// regexCheck is one of apimachinery's name checks with its regexp compiled once.
type regexCheck struct {
	re *regexp.Regexp
	// answers[long][match] is the check's answer for a name too long (1) or not (0), that
	// matches (1) or not (0).
	answers [2][2][]string
}

// newRegexCheck reads check's regexp and answers; matching is a short name its regexp matches.
// It returns nil if check's error does not quote its regexp as this apimachinery's does.
func newRegexCheck(check func(string) []string, matching string) *regexCheck {
	const marker = "regex used for validation is '"
	msg := strings.Join(check("_"), "")
	i := strings.Index(msg, marker)
	j := strings.LastIndex(msg, "')")
	if i < 0 || j < i {
		return nil
	}
	c := &regexCheck{re: regexp.MustCompile("^" + msg[i+len(marker):j] + "$")}
	long := strings.Repeat("a", validation.DNS1123SubdomainMaxLength)
	for _, v := range []string{matching, "_", matching + long, "_" + long} {
		c.answers[btoi(len(v) > validation.DNS1123SubdomainMaxLength)][btoi(c.re.MatchString(v))] = check(v)
	}
	return c
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// key says which answer the check gives v.
func (c *regexCheck) key(v string) (long, match int) {
	return btoi(len(v) > validation.DNS1123SubdomainMaxLength), btoi(c.re.MatchString(v))
}

// sanChecks are the two checks of ValidateCertSANs, and the error details they lead to.
type sanChecks struct {
	dns, wildcard *regexCheck
	mu            sync.Mutex
	details       map[[3]int]string // by long, matches dns, matches wildcard
}

var certSANChecks = sync.OnceValue(func() *sanChecks {
	dns := newRegexCheck(validation.IsDNS1123Subdomain, "a")
	wildcard := newRegexCheck(validation.IsWildcardDNS1123Subdomain, "*.a")
	if dns == nil || wildcard == nil {
		return nil // another apimachinery: splitCertSANs leaves every name to kubeadm
	}
	return &sanChecks{dns: dns, wildcard: wildcard, details: map[[3]int]string{}}
})

// splitCertSANs returns the names that kubeadm's ValidateCertSANs accepts at its first check,
// for kubeadm to check, and the errors it would report for the others, in their order.
func splitCertSANs(sans []string, fld *field.Path) ([]string, field.ErrorList) {
	c := certSANChecks()
	if c == nil {
		return sans, nil
	}
	var kept []string
	var errs field.ErrorList
	for _, altname := range sans {
		long, dns := c.dns.key(altname)
		if dns == 1 && long == 0 {
			kept = append(kept, altname)
			continue
		}
		_, wildcard := c.wildcard.key(altname)
		if wildcard == 1 && long == 0 || netutils.ParseIPSloppy(altname) != nil {
			continue
		}
		errs = append(errs, field.Invalid(fld, altname, c.detail(long, dns, wildcard)))
	}
	return kept, errs
}

// detail is the message kubeadm gives a name of that kind, built once: a hundred thousand bad
// names share a handful of messages.
func (c *sanChecks) detail(long, dns, wildcard int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [3]int{long, dns, wildcard}
	if d, ok := c.details[k]; ok {
		return d
	}
	d := fmt.Sprintf("altname is not a valid IP address, DNS label or a DNS label with subdomain wildcards: %s; %s",
		strings.Join(c.dns.answers[long][dns], "; "), strings.Join(c.wildcard.answers[long][wildcard], "; "))
	c.details[k] = d
	return d
}
