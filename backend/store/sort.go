package store

import (
	"sort"
	"strings"

	"github.com/smartap/desktop/backend/vendor"
)

// Names are sealed, so SQLite cannot order by them; sort after opening.
func sortVendors(vs []vendor.Vendor) {
	sort.SliceStable(vs, func(i, j int) bool {
		return strings.ToLower(vs[i].Name) < strings.ToLower(vs[j].Name)
	})
}
