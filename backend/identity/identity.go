// Package identity holds local users, their roles and what each role may do.
// It is domain code: no storage, UI or network.
package identity

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Role is what a user is allowed to do in general; object-level rules
// (separation of duties, cost centres) are applied by the services on top.
type Role string

// The roles of ARCHITECTURE.md §8.
const (
	Clerk    Role = "clerk"
	Approver Role = "approver"
	Admin    Role = "admin"
	Auditor  Role = "auditor"
)

// Roles lists every role, in display order.
var Roles = []Role{Clerk, Approver, Admin, Auditor}

// ErrInvalidRole is returned by ParseRole for an unknown name.
var ErrInvalidRole = errors.New("unknown role")

// ParseRole accepts a role name, case-insensitively.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Roles {
		if r == k {
			return r, nil
		}
	}
	return "", fmt.Errorf("%w %q (want clerk, approver, admin or auditor)", ErrInvalidRole, s)
}

// Action names a command or a read that authorization decides on. The
// strings are stable: they appear in the audit trail.
type Action string

// Actions checked today; later features add theirs here.
const (
	UserAdd       Action = "user.add"
	UserList      Action = "user.list"
	UserSetRole   Action = "user.set_role"
	UserDisable   Action = "user.disable"
	UserEnable    Action = "user.enable"
	VendorAdd     Action = "vendor.add"
	VendorList    Action = "vendor.list"
	VendorShow    Action = "vendor.show"
	VendorSetBank Action = "vendor.set_bank"
	AuditList     Action = "audit.list"
	AuditVerify   Action = "audit.verify"
	InvoiceList   Action = "invoice.list"
	InvoiceShow   Action = "invoice.show"
	InvoiceImport Action = "invoice.import"
	POAdd         Action = "po.add"
	POList        Action = "po.list"
	POShow        Action = "po.show"
	ReceiptAdd    Action = "receipt.add"

	InvoiceSet      Action = "invoice.set"
	InvoiceSubmit   Action = "invoice.submit"
	InvoiceApprove  Action = "invoice.approve"
	InvoiceReject   Action = "invoice.reject"
	InvoiceHold     Action = "invoice.hold"
	InvoiceVoid     Action = "invoice.void"
	InvoiceExport   Action = "invoice.export"
	InvoiceOverride Action = "invoice.override"
	InvoiceMatch    Action = "invoice.match"

	ContactAdd   Action = "contact.add"
	GDPRExport   Action = "gdpr.export"
	GDPRErase    Action = "gdpr.erase"
	RetentionRun Action = "retention.run"
	LegalHold    Action = "legal_hold.set"
	SettingsSet  Action = "settings.set"
	SettingsShow Action = "settings.show"
	VendorUpdate Action = "vendor.update"
	VendorDelete Action = "vendor.delete"
	POUpdate     Action = "po.update"
	HoldList     Action = "legal_hold.list"
)

// permissions is the role × action matrix. Anything absent is denied.
var permissions = map[Role]map[Action]bool{
	Admin: set(UserAdd, UserList, VendorAdd, VendorList, VendorShow, VendorSetBank,
		AuditList, AuditVerify, InvoiceList, InvoiceShow, InvoiceImport, POAdd, POList, POShow, ReceiptAdd,
		InvoiceSet, InvoiceSubmit, InvoiceApprove, InvoiceReject, InvoiceHold, InvoiceVoid, InvoiceExport, InvoiceOverride, InvoiceMatch,
		ContactAdd, GDPRExport, GDPRErase, RetentionRun, LegalHold, SettingsSet, SettingsShow,
		VendorUpdate, VendorDelete, POUpdate, UserSetRole, UserDisable, UserEnable, HoldList),
	Clerk: set(VendorAdd, VendorList, VendorShow, VendorSetBank, InvoiceList, InvoiceShow, InvoiceImport,
		POAdd, POList, POShow, ReceiptAdd, InvoiceSet, InvoiceSubmit, InvoiceHold, InvoiceVoid, InvoiceExport, InvoiceMatch,
		ContactAdd, VendorUpdate, POUpdate),
	Approver: set(VendorList, VendorShow, InvoiceList, InvoiceShow, POList, POShow,
		InvoiceApprove, InvoiceReject, InvoiceHold),
	Auditor: set(VendorList, VendorShow, AuditList, AuditVerify, InvoiceList, InvoiceShow, UserList, POList, POShow, HoldList),
}

func set(as ...Action) map[Action]bool {
	m := make(map[Action]bool, len(as))
	for _, a := range as {
		m[a] = true
	}
	return m
}

// Can reports whether role may perform action, and the rule that decided,
// for the audit trail.
func Can(role Role, action Action) (bool, string) {
	if permissions[role][action] {
		return true, "role:" + string(role) + " allows " + string(action)
	}
	return false, "role:" + string(role) + " lacks " + string(action)
}

// User is a local account on this device.
type User struct {
	ID   string
	Name string
	Role Role
}

// ErrInvalidName is returned for a user name that cannot be used.
var ErrInvalidName = errors.New("invalid user name")

// NormalizeName checks a user name and returns its canonical form: 1–64
// characters of letters, digits, '.', '_', '-' or '@', compared case-insensitively.
func NormalizeName(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" || len([]rune(n)) > 64 {
		return "", fmt.Errorf("%w: must be 1 to 64 characters", ErrInvalidName)
	}
	for _, r := range n {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@", r)) {
			return "", fmt.Errorf("%w: %q is not allowed (letters, digits, . _ - @)", ErrInvalidName, r)
		}
	}
	return n, nil
}

// MinPasswordLen is the shortest password accepted for a local account.
const MinPasswordLen = 10

// MaxPasswordLen bounds the KDF input; Argon2id has no 72-byte cut-off.
const MaxPasswordLen = 1024

// ErrWeakPassword is returned for a password that is too short or too long.
var ErrWeakPassword = errors.New("password not accepted")

// CheckPassword applies the local password policy.
func CheckPassword(p []byte) error {
	switch n := len([]rune(string(p))); {
	case n < MinPasswordLen:
		return fmt.Errorf("%w: use at least %d characters", ErrWeakPassword, MinPasswordLen)
	case len(p) > MaxPasswordLen:
		return fmt.Errorf("%w: at most %d bytes", ErrWeakPassword, MaxPasswordLen)
	}
	return nil
}
