package checks

import "testing"

// BenchmarkRun is every check on one invoice (20 lines) with a vendor,
// three priors and three history invoices: the cost per imported invoice.
func BenchmarkRun(b *testing.B) {
	inv, ctx, cfg := busyCase(b)
	b.ReportAllocs()
	for b.Loop() {
		Run(inv, ctx, cfg)
	}
}
