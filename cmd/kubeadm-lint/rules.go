package main

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

func (a *app) rulesCommand() *cobra.Command {
	var (
		markdown bool
		profile  string
	)
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules, or with --profile the rules of an opt-in profile",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if profile != "" && !slices.Contains(rules.Profiles(allRules()), profile) {
				return fmt.Errorf("unknown profile %q (want one of %s)", profile, strings.Join(rules.Profiles(allRules()), ", "))
			}
			rs := rules.InProfile(allRules(), profile)
			if markdown {
				table := rules.Table(rs)
				if profile != "" {
					table = rules.ProfileTable(rs)
				}
				_, err := fmt.Fprint(a.stdout, table)
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			if profile != "" {
				fmt.Fprintln(tw, "ID\tCONTROL\tNAME\tSEVERITY\tSUMMARY")
			} else {
				fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tSUMMARY")
			}
			for _, r := range rs {
				if profile != "" {
					refs := make([]string, len(r.References))
					for i, ref := range r.References {
						refs[i] = ref.String()
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, strings.Join(refs, ","), r.Name, severities(r), r.Summary)
					continue
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Name, severities(r), r.Summary)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print a markdown table, each rule linked to its page under docs/rules")
	cmd.Flags().StringVar(&profile, "profile", "", "list the rules of this profile instead: "+strings.Join(rules.Profiles(allRules()), ", "))
	return cmd
}

// severities is the rule's default severity, then the others its findings may carry.
func severities(r *lint.Rule) string {
	out := r.Severity.String()
	for _, s := range r.Also {
		out += "," + s.String()
	}
	return out
}

func (a *app) explainCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain a rule: why it exists, a bad and a good example",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("explain takes one rule ID or name, such as KL101; 'kubeadm-lint rules' lists them")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			r := rules.Lookup(allRules(), args[0])
			if r == nil {
				return fmt.Errorf("unknown rule %q; 'kubeadm-lint rules' lists them", args[0])
			}
			_, err := fmt.Fprint(a.stdout, rules.Markdown(r))
			return err
		},
	}
}
