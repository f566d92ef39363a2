package export

import (
	"fmt"
	"io"
	"testing"
)

func BenchmarkUBL(b *testing.B) {
	inv := fullInvoice()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := UBL(inv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSEPA is one payment run of 1,000 invoices.
func BenchmarkSEPA(b *testing.B) {
	items := make([]Item, 1000)
	for i := range items {
		v := testVendor(fmt.Sprintf("Vendor %d GmbH & Co. KG", i), ibanDE, "COBADEFFXXX")
		items[i] = Item{
			ID: fmt.Sprintf("0190b5a0-7c4e-7d3a-9f00-%012d", i), Status: "approved",
			Invoice: payableInvoice(fmt.Sprintf("RE-2024/%05d", i), "2024-03-01", fmt.Sprintf("%d.%02d", 10+i, i%100)),
			Vendor:  v,
		}
	}
	d := testDebtor()
	b.ReportAllocs()
	for b.Loop() {
		included, refused, err := SEPA(io.Discard, d, items, fixedNow)
		if err != nil || len(included) != len(items) || len(refused) != 0 {
			b.Fatalf("included %d, refused %v, err %v", len(included), refused, err)
		}
	}
}

func BenchmarkCSV(b *testing.B) {
	items := make([]Item, 1000)
	for i := range items {
		items[i] = Item{ID: fmt.Sprint(i), Status: "approved", Invoice: fullInvoice()}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := CSV(io.Discard, items); err != nil {
			b.Fatal(err)
		}
	}
}
