package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/serverstore"
)

func (c *cli) apikeyCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "apikey", Short: "manage API keys of service accounts"}
	var team, role, name string
	create := &cobra.Command{
		Use:   "create --team T --role R [--name N]",
		Short: "create a service account and its API key (the key is printed once)",
		Args:  exactArgs(0),
		RunE:  func(*cobra.Command, []string) error { return c.apikeyCreate(team, role, name) },
	}
	create.Flags().StringVar(&team, "team", "", "the service account's team (required)")
	create.Flags().StringVar(&role, "role", "", "clerk, approver, admin or auditor (required)")
	create.Flags().StringVar(&name, "name", "", "service account name (default: svc-<key id>)")
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "revoke an API key and end its service account's sessions",
		Args:  exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withStore(func(st serverstore.Store) error {
				k, err := st.GetAPIKey(c.ctx, args[0])
				if err != nil {
					return err
				}
				now := time.Now()
				if err := st.RevokeAPIKey(c.ctx, k.ID, now); err != nil {
					return err
				}
				// One account per key: disabling it kills the tokens the key minted.
				_, err = authapi.DisableUser(c.ctx, st, c.eventBus(st), k.User, adminActor, now)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.stderr, "api key %s revoked; service account %s disabled\n", k.ID, k.User)
				return nil
			})
		},
	}
	cmd.AddCommand(create, revoke)
	return cmd
}

func (c *cli) apikeyCreate(team, role, name string) error {
	r, err := identity.ParseRole(role)
	if err != nil || team == "" {
		return usagef("apikey create needs --team and --role (clerk, approver, admin or auditor)")
	}
	return c.withStore(func(st serverstore.Store) error {
		key, rec, err := serverstore.NewAPIKey("")
		if err != nil {
			return err
		}
		user := name
		if user == "" {
			user = "svc-" + rec.ID
		}
		if user, err = identity.NormalizeName(user); err != nil {
			return usagef("--name: %v", err)
		}
		rec.User = user
		if _, err := st.CreateUser(c.ctx, serverstore.User{Name: user, Team: team, Role: r, PasswordHash: serviceHash}); err != nil {
			return err
		}
		if err := st.CreateAPIKey(c.ctx, rec); err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "service account %s (team %s, role %s), key id %s; the key is shown only now:\n", user, team, r, rec.ID)
		if c.jsonOut {
			return c.printJSON(map[string]string{"user": user, "team": team, "role": string(r), "id": rec.ID, "key": key})
		}
		_, err = fmt.Fprintln(c.stdout, key)
		return err
	})
}
