package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/llm"
)

func (c *cli) settingsCommand() *cobra.Command {
	var cfg llm.Config
	var provider string
	var enable, disable, keyStdin bool
	model := &cobra.Command{
		Use:   "llm [--enable --consent --provider openai|azure|github|local --model M [--base-url U]] [--disable]",
		Short: "the optional model helper: show or change (the API key from $SMARTAP_LLM_KEY or --key-stdin goes to the OS keychain)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			change := enable || disable || cmd.Flags().Changed("model") || cmd.Flags().Changed("provider") || cmd.Flags().Changed("base-url")
			key := c.getenv("SMARTAP_LLM_KEY")
			return c.withSession(func(s *core.Session) error {
				if keyStdin {
					k, err := c.readLine("API key")
					if err != nil {
						return err
					}
					key = string(k.Reveal())
				}
				var st core.LLMSettings
				var err error
				if change || key != "" {
					cfg.Enabled, cfg.Provider = enable && !disable, llm.Provider(provider)
					st, err = s.SetLLMSettings(c.ctx, cfg, key)
				} else {
					st, err = s.LLMSettings(c.ctx)
				}
				if err != nil {
					return err
				}
				return c.emit(st, func(w io.Writer) {
					fmt.Fprintf(w, "enabled: %v  consent: %v  provider: %s  model: %s  base url: %s\nkey in keychain: %v  tokens used: %d\n",
						st.Enabled, st.Consent, st.Provider, st.Model, st.BaseURL, st.HasKey, st.TokensUsed)
				})
			})
		},
	}
	f := model.Flags()
	f.BoolVar(&enable, "enable", false, "turn the helper on")
	f.BoolVar(&disable, "disable", false, "turn the helper off")
	f.BoolVar(&cfg.Consent, "consent", false, "agree that page text of invoices without e-invoice data is sent to the service")
	f.StringVar(&provider, "provider", "openai", "openai, azure, github or local")
	f.StringVar(&cfg.Model, "model", "", "model (Azure: deployment) name")
	f.StringVar(&cfg.BaseURL, "base-url", "", "API root (https; http only for a local server on loopback)")
	f.StringVar(&cfg.AzureAPIVersion, "azure-api-version", "", "Azure api-version")
	f.BoolVar(&keyStdin, "key-stdin", false, "read the API key from the first line of standard input")
	cmd := &cobra.Command{Use: "settings", Short: "settings (admins)"}
	cmd.AddCommand(model, c.approvalSettingsCommand())
	return cmd
}

func (c *cli) approvalSettingsCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "approval [--file policy.json]",
		Short: "show the approval policy, or replace it from a JSON file (rules, levels, second_approver_above, escalate_after_hours, scopes, delegations)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				if file != "" {
					p, err := readCSV(file, func(r io.Reader) (core.PolicySettings, error) {
						p := core.DefaultPolicy()
						dec := json.NewDecoder(r)
						dec.DisallowUnknownFields()
						return p, dec.Decode(&p)
					})
					if err != nil {
						return err
					}
					if err := s.SetPolicy(c.ctx, p); err != nil {
						return err
					}
				}
				p, err := s.Policy(c.ctx)
				if err != nil {
					return err
				}
				c.jsonOut = true
				return c.emit(p, nil)
			})
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "a policy JSON file to set")
	return cmd
}

func (c *cli) delegateCommand() *cobra.Command {
	var d core.DelegationSetting
	var until string
	cmd := &cobra.Command{
		Use:   "delegate --to USER --until YYYY-MM-DD [--from USER]",
		Short: "lend your approval authority (admins: someone's) to another user until a date",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			end, err := time.Parse("2006-01-02", until)
			if err != nil {
				return usageError{"--until: use YYYY-MM-DD"}
			}
			d.End = end.Add(24 * time.Hour) // through the whole last day
			return c.withSession(func(s *core.Session) error {
				if err := s.Delegate(c.ctx, d); err != nil {
					return err
				}
				return c.emit(d, func(w io.Writer) { fmt.Fprintf(w, "Delegated to %s until %s.\n", d.To, until) })
			})
		},
	}
	cmd.Flags().StringVar(&d.To, "to", "", "who may approve")
	cmd.Flags().StringVar(&d.From, "from", "", "whose authority (default: yours)")
	cmd.Flags().StringVar(&until, "until", "", "last day, YYYY-MM-DD")
	return cmd
}

func (c *cli) queueCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "queue",
		Short: "invoices you can approve now, those through a delegation, and overdue ones with whom they escalate to",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				q, err := s.ApprovalQueue(c.ctx)
				if err != nil {
					return err
				}
				return c.emit(q, func(w io.Writer) {
					fmt.Fprintf(w, "Mine: %d, delegated: %d, overdue: %d\n", len(q.Mine), len(q.Delegated), len(q.Overdue))
					for _, i := range q.Mine {
						fmt.Fprintf(w, "  %s %s %s %s\n", i.ID, i.InvoiceNumber, i.Payable, i.Currency)
					}
					for _, o := range q.Overdue {
						fmt.Fprintf(w, "! %s waiting %s; notify %v\n", o.ID, o.Waited, o.Notify)
					}
				})
			})
		},
	}
}
