package eventpattern

import (
	"net/netip"
	"strconv"
	"strings"
)

// cidrRange is an address prefix. Matching parses the event's address with
// netip, which does not allocate.
type cidrRange struct{ p netip.Prefix }

// parseCIDR returns AWS's reason on failure (recorded in
// test_validate_policy_string_operators: error-condition-bad-cidr-*).
func parseCIDR(s string) (cidrRange, string) {
	ip, bits, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(bits, "/") {
		return cidrRange{}, "Malformed CIDR, one '/' required"
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil || addr.Zone() != "" {
		return cidrRange{}, "Nonstandard IP address: " + ip
	}
	n, err := strconv.Atoi(bits)
	if err != nil {
		return cidrRange{}, "Malformed CIDR, mask bits must be an integer"
	}
	if n < 0 || n > addr.BitLen() {
		return cidrRange{}, "Malformed CIDR, mask bits must be between 0 and " + strconv.Itoa(addr.BitLen())
	}
	return cidrRange{netip.PrefixFrom(addr, n).Masked()}, ""
}

func (r cidrRange) contains(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && r.p.Contains(a.Unmap())
}
