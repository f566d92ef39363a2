package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/client"
)

// The sync commands (CLI.md, issue D). Sync runs on an unlocked session:
// the sealed store's keys exist only while the user's password has opened
// them, so every command but logout asks for the password.

func (c *cli) loginCommand() *cobra.Command {
	var server, ckey string
	cmd := &cobra.Command{
		Use:   "login --server URL",
		Short: "sign in to a sync server (same user and password as there); sets up the data folder on first use",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if server == "" {
				return usageError{"login needs --server URL"}
			}
			auth, err := client.NewAuth(server, nil)
			if err != nil {
				return usageError{err.Error()}
			}
			if ckey != "" {
				if _, err := checkpoint.ParsePublicKey(ckey); err != nil {
					return usageError{"--checkpoint-key: " + err.Error()}
				}
			}
			return c.login(auth, ckey)
		},
	}
	cmd.Flags().StringVar(&server, "server", "", "the sync server, https://HOST[:PORT] (http only to this machine)")
	cmd.Flags().StringVar(&ckey, "checkpoint-key", "", "the server's audit checkpoint key, to verify its signed checkpoints")
	return cmd
}

// loginResult is the output of login.
type loginResult struct {
	Server      string `json:"server"`
	User        string `json:"user"`
	Team        string `json:"team"`
	Role        string `json:"role"`
	DataDir     string `json:"data_dir"`
	RecoveryKey string `json:"recovery_key,omitempty"` // only when the folder was set up now
	// CheckpointKey is the server's audit-checkpoint key now pinned.
	CheckpointKey string `json:"checkpoint_key,omitempty"`
}

func (c *cli) login(auth *client.Auth, ckey string) error {
	co, err := c.open()
	if err != nil {
		return err
	}
	defer co.Close()
	init, err := co.Initialized(c.ctx)
	if err != nil {
		return err
	}
	name := c.user
	if name == "" {
		var ok bool
		if name, ok = co.SoleUser(c.ctx); !ok || !init {
			return usageError{"login needs --user NAME (your user name on the sync server)"}
		}
	}
	pw, err := c.password("Password for " + name + " (on the sync server)")
	if err != nil {
		return err
	}
	defer pw.Wipe()
	s, res, err := c.signIn(co, auth, name, pw, init, ckey)
	if err != nil {
		return err
	}
	defer s.Lock()
	res.DataDir = co.DataDir()
	if err := client.SaveSettings(co.DataDir(), client.Settings{Server: auth.Server(), User: res.User,
		Account: client.RefreshAccount(s.Replica().Device(), auth.Server(), res.User), CheckpointKey: res.CheckpointKey}); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot save the sync settings in %s", co.DataDir())
	}
	c.log.Info("logged in to sync server", "server", auth.Server(), "user", res.User, "team", res.Team)
	return c.emit(res, func(w io.Writer) {
		fmt.Fprintf(w, "Signed in to %s as %s (%s, team %s).\n", res.Server, res.User, res.Role, res.Team)
		if res.RecoveryKey != "" {
			fmt.Fprintf(w, "\nSet up %s. Recovery key (shown once; store it offline, it resets a forgotten password):\n\n    %s\n\n", res.DataDir, res.RecoveryKey)
		}
	})
}

// signIn logs in to the server and opens the local session: on a new
// folder it is set up with the server's user name and role (the server
// answers who the user is before anything is created locally); on an
// existing one the same password unlocks it first, so a wrong local
// password never reaches the server.
func (c *cli) signIn(co *core.Core, auth *client.Auth, name string, pw secret.Password, init bool, ckey string) (*core.Session, loginResult, error) {
	var s *core.Session
	var err error
	device := uuid.NewString() // on first use the folder takes this id (InitFromServer)
	if init {
		if s, err = co.Unlock(c.ctx, name, pw); err != nil {
			return nil, loginResult{}, err
		}
		device = s.Replica().Device()
	}
	tokens, err := auth.Login(c.ctx, name, pw, device)
	if err != nil {
		if s != nil {
			s.Lock()
		}
		return nil, loginResult{}, syncError(err)
	}
	res := loginResult{Server: auth.Server(), User: tokens.User, Team: tokens.Team, Role: tokens.Role}
	if res.CheckpointKey, err = pinCheckpointKey(ckey, tokens.CheckpointKey); err != nil {
		if s != nil {
			s.Lock()
		}
		return nil, loginResult{}, err
	}
	if s == nil {
		if s, res.RecoveryKey, err = co.InitFromServer(c.ctx, name, pw, identity.Role(tokens.Role), device); err != nil {
			return nil, loginResult{}, err
		}
	}
	creds, err := c.credentials(s.Replica().Device(), auth.Server(), tokens.User)
	if err == nil {
		err = creds.Save(tokens.RefreshToken)
	}
	if err == nil {
		err = s.Replica().Bind(c.ctx, tokens.User)
	}
	if err != nil {
		s.Lock()
		return nil, loginResult{}, apperr.Wrap(err, apperr.Unavailable, "signed in, but cannot keep the sign-in: %v", err)
	}
	return s, res, nil
}

// pinCheckpointKey chooses the checkpoint key to pin: the one given on the
// command line (checked out of band) must match what the server announces;
// without one the server's is trusted on this first use.
func pinCheckpointKey(given, announced string) (string, error) {
	switch {
	case given == "":
		return announced, nil
	case announced != "" && announced != given:
		return "", apperr.New(apperr.Integrity, "the server announces another audit checkpoint key than --checkpoint-key; not signing in")
	}
	return given, nil
}

func (c *cli) credentials(device, server, user string) (client.Credentials, error) {
	kc, err := vault.OpenKeychain(c.keychain)
	if err != nil {
		return client.Credentials{}, err
	}
	return client.Credentials{Keychain: kc, Account: client.RefreshAccount(device, server, user)}, nil
}

func (c *cli) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "sign out of the sync server and remove the sign-in from the keychain",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := c.openLog(); err != nil {
				return err
			}
			st, err := client.LoadSettings(c.dataDir)
			if err != nil {
				return syncError(err)
			}
			auth, err := client.NewAuth(st.Server, nil)
			if err != nil {
				return syncError(err)
			}
			kc, err := vault.OpenKeychain(c.keychain)
			if err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "%s", err.Error())
			}
			lerr := client.Logout(c.ctx, auth, client.Credentials{Keychain: kc, Account: st.Account})
			if lerr != nil && !errors.Is(lerr, client.ErrUnavailable) && !errors.Is(lerr, client.ErrUnauthorized) &&
				!errors.Is(lerr, client.ErrNotLoggedIn) {
				return syncError(lerr)
			}
			if err := client.RemoveSettings(c.dataDir); err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "%s", err.Error())
			}
			if lerr != nil {
				fmt.Fprintln(c.stderr, "smartap: signed out here; the server did not confirm:", client.Describe(lerr))
			}
			return c.emit(map[string]string{"server": st.Server, "user": st.User, "status": "logged_out"},
				func(w io.Writer) { fmt.Fprintf(w, "Signed out of %s.\n", st.Server) })
		},
	}
}

// syncError maps sync client errors to the CLI's exit codes (see
// client.AppError).
func syncError(err error) error { return client.AppError(err) }

// timeText formats a time for JSON output; "" when unknown.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
