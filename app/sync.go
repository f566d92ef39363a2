package app

import (
	"context"
	"sync"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/client"
)

// Events of the sync loop (payloads in types_sync.go).
const (
	EventSyncStatus    = "sync:status"
	EventSyncException = "sync:exception"
	EventSyncRejection = "sync:rejection"
	EventSecurityAlert = "security:alert"
)

// syncRunner is the background sync loop of the unlocked session. It runs
// only between unlock and lock: the replica needs the session's keys.
// Tokens stay inside the client (access token in memory, refresh token in
// the keychain); nothing here hands one to the window.
type syncRunner struct {
	mu     sync.Mutex
	cl     *client.Client
	cancel context.CancelFunc
	done   chan struct{}
}

// startSync starts the loop for s when this data folder is logged in to a
// server; without settings there is nothing to do.
func (a *App) startSync(s *core.Session) {
	a.stopSync()
	st, err := client.LoadSettings(a.cfg.DataDir)
	if err != nil {
		return
	}
	cl, err := a.newSyncClient(s, st)
	if err != nil {
		a.cfg.Logger.Warn("sync not started", "err", err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	a.sync.mu.Lock()
	a.sync.cl, a.sync.cancel, a.sync.done = cl, cancel, done
	a.sync.mu.Unlock()
	go func() {
		defer close(done)
		if err := cl.Run(ctx); err != nil {
			a.cfg.Logger.Warn("sync stopped until the next sign-in", "err", err)
		}
	}()
}

// stopSync stops the loop and waits for it, so no sync call runs once the
// session's keys are wiped.
func (a *App) stopSync() {
	a.sync.mu.Lock()
	cancel, done := a.sync.cancel, a.sync.done
	a.sync.cl, a.sync.cancel, a.sync.done = nil, nil, nil
	a.sync.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

func (a *App) syncClient() *client.Client {
	a.sync.mu.Lock()
	defer a.sync.mu.Unlock()
	return a.sync.cl
}

func (a *App) newSyncClient(s *core.Session, st client.Settings) (*client.Client, error) {
	kc, err := vault.OpenKeychain(a.cfg.Keychain)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "%s", err.Error())
	}
	cfg := client.Config{Server: st.Server, User: st.User, Replica: s.Replica(), Version: "smartap-desktop",
		Creds: client.Credentials{Keychain: kc, Account: st.Account}, DataDir: a.cfg.DataDir,
		Logger: a.cfg.Logger, Now: a.cfg.Now, OnEvent: a.syncEvent}
	if st.CheckpointKey != "" {
		if cfg.CheckpointKey, err = checkpoint.ParsePublicKey(st.CheckpointKey); err != nil {
			return nil, client.AppError(err)
		}
		cfg.Checkpoints = &client.FileCheckpoints{Path: client.CheckpointPath(a.cfg.DataDir)}
	}
	cl, err := client.New(cfg)
	return cl, client.AppError(err)
}

// syncEvent forwards client events to the window as plain views.
func (a *App) syncEvent(e client.Event) {
	now := a.cfg.Now().UTC().Format(time.RFC3339)
	switch e.Kind {
	case client.EventStatus:
		a.emit(EventSyncStatus, statusView(e.Status, true))
	case client.EventException:
		x := e.Exception
		a.emit(EventSyncException, SyncExceptionView{ID: x.ID, InvoiceID: x.Entity.ID, Kind: x.Kind, Message: x.Message,
			Winner: x.Winner, Loser: x.Loser, Seq: seqInt(x.Seq), At: now})
	case client.EventRejection:
		r := e.Rejection
		a.emit(EventSyncRejection, SyncRejectionView{Op: r.Op, Code: r.Code, Message: r.Message, Rule: r.Rule, At: now})
	case client.EventAlert:
		al := e.Alert
		a.emit(EventSecurityAlert, SecurityAlertView{Kind: al.Kind, User: al.User, Device: al.Device, Detail: al.Detail,
			At: time.UnixMilli(al.At).UTC().Format(time.RFC3339)})
	}
}

func seqInt(s uint64) int64 {
	return int64(min(s, 1<<62)) // #nosec G115 -- bounded above
}

func statusView(st client.Status, configured bool) SyncStatusView {
	v := SyncStatusView{Configured: configured, Server: st.Server, User: st.User, Online: st.Online, Pending: st.Pending,
		LastError: st.LastError, Exceptions: st.Exceptions, Rejections: st.Rejections}
	if !st.LastSync.IsZero() {
		v.LastSync = st.LastSync.UTC().Format(time.RFC3339)
	}
	return v
}

// SyncStatus is the sync indicator's state: the running loop's status, or
// what the folder holds when no loop runs (not logged in, or stopped).
func (a *App) SyncStatus() (SyncStatusView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return SyncStatusView{}, err
	}
	if cl := a.syncClient(); cl != nil {
		return statusView(cl.Status(), true), nil
	}
	st, err := client.LoadSettings(a.cfg.DataDir)
	if err != nil {
		return SyncStatusView{}, nil // not configured: the zero view
	}
	cl, err := a.newSyncClient(s, st)
	if err != nil {
		return SyncStatusView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	if err := cl.RefreshLocal(ctx); err != nil {
		return SyncStatusView{}, err
	}
	return statusView(cl.Status(), true), nil
}

// SyncLogin signs the unlocked user in to a sync server with the server
// password (the same user name), keeps the refresh token in the keychain
// and starts syncing.
func (a *App) SyncLogin(server, password string) (SyncStatusView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return SyncStatusView{}, err
	}
	auth, err := client.NewAuth(server, nil)
	if err != nil {
		return SyncStatusView{}, client.AppError(err)
	}
	ctx, cancel := callCtx()
	defer cancel()
	pw := secret.NewPassword(password)
	defer pw.Wipe()
	kc, err := vault.OpenKeychain(a.cfg.Keychain)
	if err != nil {
		return SyncStatusView{}, apperr.Wrap(err, apperr.Unavailable, "%s", err.Error())
	}
	r := s.Replica()
	name := s.User().Name
	creds := client.Credentials{Keychain: kc, Account: client.RefreshAccount(r.Device(), auth.Server(), name)}
	t, err := client.Login(ctx, auth, creds, name, pw, r.Device())
	if err != nil {
		return SyncStatusView{}, client.AppError(err)
	}
	if err := r.Bind(ctx, t.User); err != nil {
		return SyncStatusView{}, err
	}
	// The checkpoint key is pinned at this first sign-in (the window has
	// no way to type one); later checkpoints verify only against it.
	st := client.Settings{Server: auth.Server(), User: t.User, Account: creds.Account, CheckpointKey: t.CheckpointKey}
	if t.User != name {
		st.Account = client.RefreshAccount(r.Device(), auth.Server(), t.User)
		if err := (client.Credentials{Keychain: kc, Account: st.Account}).Save(t.RefreshToken); err != nil {
			return SyncStatusView{}, client.AppError(err)
		}
		_ = creds.Delete()
	}
	if err := client.SaveSettings(a.cfg.DataDir, st); err != nil {
		return SyncStatusView{}, apperr.Wrap(err, apperr.Unavailable, "cannot save the sync settings")
	}
	a.startSync(s)
	return a.SyncStatus()
}

// SyncLogout stops syncing, revokes the sign-in on the server and removes
// it from the keychain. Local changes not yet pushed stay in the outbox.
// A server that cannot be reached does not keep the sign-in here.
func (a *App) SyncLogout() error {
	if _, _, err := a.sessionFor(); err != nil {
		return err
	}
	a.stopSync()
	st, err := client.LoadSettings(a.cfg.DataDir)
	if err != nil {
		return nil // not signed in: nothing to do
	}
	kc, err := vault.OpenKeychain(a.cfg.Keychain)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "%s", err.Error())
	}
	ctx, cancel := callCtx()
	defer cancel()
	creds := client.Credentials{Keychain: kc, Account: st.Account}
	if auth, err := client.NewAuth(st.Server, nil); err == nil {
		if err := client.Logout(ctx, auth, creds); err != nil {
			a.cfg.Logger.Warn("sync logout not confirmed by the server", "err", err)
		}
	}
	if err := creds.Delete(); err != nil {
		return client.AppError(err)
	}
	if err := client.RemoveSettings(a.cfg.DataDir); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot remove the sync settings")
	}
	a.emit(EventSyncStatus, SyncStatusView{})
	return nil
}

// ListSyncExceptions lists conflicts the server resolved, newest first.
func (a *App) ListSyncExceptions() ([]SyncExceptionView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	es, err := s.Replica().Exceptions(ctx)
	out := make([]SyncExceptionView, 0, len(es))
	for _, e := range es {
		out = append(out, SyncExceptionView{ID: e.ID, InvoiceID: e.Invoice, Kind: e.Kind, Message: e.Message,
			Winner: e.Winner, Loser: e.Loser, Seq: seqInt(e.Seq), At: timeText(e.At)})
	}
	return out, err
}

// ListSyncRejections lists this desktop's changes the server refused.
func (a *App) ListSyncRejections() ([]SyncRejectionView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	rs, err := s.Replica().Rejections(ctx)
	out := make([]SyncRejectionView, 0, len(rs))
	for _, r := range rs {
		out = append(out, SyncRejectionView{Op: r.Op, InvoiceID: r.Invoice, Code: r.Code, Message: r.Message,
			Rule: r.Rule, At: timeText(r.At)})
	}
	return out, err
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
