// Package httpapi is the contract of the sync server's plain HTTP endpoints
// beside the websocket: paths and the JSON bodies of login, refresh and
// logout. The server (sync/server) and the desktop client (sync/client)
// both import it, so the two sides cannot drift apart.
//
// Every error response is an Error body with a stable code
// (invalid_input, unauthorized, locked, rate_limited, forbidden,
// unavailable, internal) and, for locked and rate_limited, a Retry-After
// header in seconds. Unknown user and wrong password give the same
// unauthorized answer (checklist: no user enumeration).
package httpapi

// Paths served by smartap-sync.
const (
	PathLogin   = "/v1/login"   // POST LoginRequest → Tokens
	PathRefresh = "/v1/refresh" // POST RefreshRequest → Tokens (the old refresh token is spent)
	PathLogout  = "/v1/logout"  // POST RefreshRequest → 204; revokes the family
	PathSync    = "/v1/sync"    // GET, websocket upgrade; Authorization: Bearer <access token>
	PathHealth  = "/healthz"    // GET → 200 "ok" when the store answers
	PathMetrics = "/metrics"    // GET, Prometheus text format
	// PathCheckpointKey: GET, no auth → CheckpointKey. The key that signs
	// audit checkpoints is public; the client pins it at login.
	PathCheckpointKey = "/v1/checkpoint-key"
)

// Subprotocol is the websocket subprotocol both sides must offer/accept.
const Subprotocol = "smartap.v1"

// Error codes of ErrorBody.Code.
const (
	CodeInvalidInput = "invalid_input"
	CodeUnauthorized = "unauthorized"
	CodeLocked       = "locked"
	CodeRateLimited  = "rate_limited"
	CodeForbidden    = "forbidden"
	CodeUnavailable  = "unavailable"
	CodeInternal     = "internal"
)

// LoginRequest logs a person in with the server password, or a service
// account in with an API key (APIKey set, Password empty).
type LoginRequest struct {
	User     string `json:"user"`
	Password string `json:"password,omitempty"`
	APIKey   string `json:"api_key,omitempty"`
	// Device is the desktop's device id; a device the server has not seen
	// for this user raises a new_device security event.
	Device string `json:"device"`
}

// RefreshRequest carries a refresh token (refresh and logout).
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// Tokens answers a login or refresh.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int64  `json:"expires_in"`
	User      string `json:"user"`
	Team      string `json:"team"`
	Role      string `json:"role"`
	// CheckpointKey is the server's audit-checkpoint public key
	// (checkpoint.FormatPublicKey), pinned by the client at login.
	CheckpointKey string `json:"checkpoint_key,omitempty"`
}

// CheckpointKey answers PathCheckpointKey.
type CheckpointKey struct {
	Key string `json:"key"`
}

// Error is the body of every non-2xx answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
