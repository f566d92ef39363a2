package main

import (
	"fmt"
	"io"

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
	cmd.AddCommand(model)
	return cmd
}
