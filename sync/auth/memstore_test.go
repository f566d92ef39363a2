package auth_test

import (
	"testing"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/auth/authtest"
)

func TestMemStoreConformance(t *testing.T) {
	authtest.StoreConformance(t, func() auth.TokenStore { return auth.NewMemStore() })
}
