package pagereader

import (
	"reflect"
)

func isNilDecimal(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
