package wire

// Type names of the session messages.
const (
	TypeHello   = "hello"
	TypeWelcome = "welcome"
)

// Hello opens a session (client → server): who is connecting and the
// access token. The WebSocket handshake is already authenticated
// (checklist #22); a hello repeats the token so a long session can present
// a refreshed one without reconnecting.
type Hello struct {
	Device string `json:"device"`
	// Client is the app version, for diagnostics and deprecation notices.
	Client string `json:"client"`
	Token  Secret `json:"token"`
}

// Secret is a credential that must not appear in logs: fmt prints it as
// [REDACTED], only JSON encoding sees the value.
type Secret string

// String hides the value from %v and %s.
func (Secret) String() string { return "[REDACTED]" }

// GoString hides the value from %#v.
func (Secret) GoString() string { return "[REDACTED]" }

// maxToken bounds access tokens; JWTs with our claims are well under 1 KiB.
const maxToken = 4096

// Type implements Body.
func (Hello) Type() string { return TypeHello }

func (h Hello) check() error {
	return first(
		checkID("device", h.Device),
		checkText("client", h.Client, maxID, true),
		checkText("token", string(h.Token), maxToken, true),
	)
}

// Welcome answers a hello (server → client): the identity the token stands
// for and the head of the team's log. A client whose cursor has another
// index id must bootstrap again (checklist #24).
type Welcome struct {
	Server string `json:"server"`
	Team   string `json:"team"`
	User   string `json:"user"`
	Head   Cursor `json:"head"`
}

// Type implements Body.
func (Welcome) Type() string { return TypeWelcome }

func (w Welcome) check() error {
	return first(
		checkText("server", w.Server, maxID, true),
		checkID("team", w.Team),
		checkID("user", w.User),
		in("head", w.Head.check()),
	)
}
