package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/sync/serverstore"
)

// eventJSON is one line of `events list --json`.
type eventJSON struct {
	Kind   string    `json:"kind"`
	Team   string    `json:"team"`
	User   string    `json:"user"`
	Device string    `json:"device"`
	IP     string    `json:"ip"`
	Detail string    `json:"detail"`
	At     time.Time `json:"at"`
}

func (c *cli) eventsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "events", Short: "security events"}
	var f serverstore.EventFilter
	list := &cobra.Command{
		Use:   "list [--team T] [--kind K] [--limit N] [--json]",
		Short: "list recorded security events, oldest first",
		Args:  exactArgs(0),
		RunE: func(*cobra.Command, []string) error {
			return c.withStore(func(st serverstore.Store) error {
				evs, err := st.ListEvents(c.ctx, f)
				if err != nil {
					return err
				}
				out := make([]eventJSON, 0, len(evs))
				for _, e := range evs {
					out = append(out, eventJSON(e))
				}
				if c.jsonOut {
					return c.printJSON(out)
				}
				for _, e := range out {
					fmt.Fprintf(c.stdout, "%s  %-17s team=%q user=%q device=%q ip=%q  %q\n",
						e.At.Format(time.RFC3339), e.Kind, e.Team, e.User, e.Device, e.IP, e.Detail)
				}
				return nil
			})
		},
	}
	list.Flags().StringVar(&f.Team, "team", "", "only this team's events")
	list.Flags().StringVar(&f.Kind, "kind", "", "only events of this kind")
	list.Flags().IntVar(&f.Limit, "limit", 0, fmt.Sprintf("the newest N events (default and maximum %d)", serverstore.MaxEvents))
	cmd.AddCommand(list)
	return cmd
}
