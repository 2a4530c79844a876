package output

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	toolName     = "kubeadm-lint"
	toolURI      = "https://github.com/kubeadm-lint/kubeadm-lint"
	ruleDocsBase = toolURI + "/blob/main/docs/rules/"
)

// The SARIF 2.1.0 subset GitHub code scanning and the SARIF viewers read. Fields are structs, not
// maps, so that the output is in a fixed order and the goldens stay stable.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool sarifTool `json:"tool"`
		// yaml.v3 counts columns in characters, not in the UTF-16 units SARIF assumes by default.
		ColumnKind  string            `json:"columnKind"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
	}
	// sarifInvocation says whether the run could read its inputs; code scanning shows the
	// notifications of a failed one.
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		Name                 string          `json:"name"`
		ShortDescription     sarifMessage    `json:"shortDescription"`
		FullDescription      sarifMessage    `json:"fullDescription"`
		Help                 *sarifHelp      `json:"help,omitempty"`
		HelpURI              string          `json:"helpUri"`
		DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
		// Properties carry a profile rule's benchmark controls as tags, which code scanning
		// shows and filters on.
		Properties *sarifRuleProps `json:"properties,omitempty"`
	}
	sarifRuleProps struct {
		Tags []string `json:"tags"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID     string            `json:"ruleId"`
		RuleIndex  int               `json:"ruleIndex"`
		Level      string            `json:"level"`
		Message    sarifMessage      `json:"message"`
		Locations  []sarifLocation   `json:"locations"`
		Properties *sarifResultProps `json:"properties,omitempty"`
	}
	sarifResultProps struct {
		Hint       string           `json:"hint,omitempty"`
		References []lint.Reference `json:"references,omitempty"`
	}
	// A location is physical for a file, and logical for an object of a cluster, which has none.
	sarifLocation struct {
		PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
		Message          *sarifMessage          `json:"message,omitempty"`
	}
	sarifLogicalLocation struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// SARIF prints a SARIF 2.1.0 log with one run. The driver lists only the rules that have results,
// in ID order, which keeps the log small; each result points at its rule by ID and index.
//
// A finding without a line (0) gets no region: SARIF then reads it as being about the whole file,
// which is true, where "line 1" would point at a line that has nothing to do with it. The rules'
// fixes are edits to field paths, not to text ranges, so they are not written as SARIF fixes.
//
// A hint becomes the second sentence of message.text: GitHub code scanning shows only that text
// (not message.markdown, nor property bags), and only its first sentence, the message, where
// space is short. properties.hint repeats the hint for tools that want it apart.
func SARIF(w io.Writer, r *Report, opts Options) error {
	byID := map[string]*lint.Rule{}
	for _, rule := range r.Rules {
		byID[rule.ID] = rule
	}
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)

	driver := sarifDriver{Name: toolName, InformationURI: toolURI, Version: opts.ToolVersion, Rules: []sarifRule{}}
	index := map[string]int{}
	for _, id := range ids {
		index[id] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleFor(id, byID[id]))
	}

	results := make([]sarifResult, 0, len(r.Findings))
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message:   sarifMessage{Text: f.Message},
			Locations: []sarifLocation{sarifLocationOf(f.Pos, r.Cluster, opts)},
		}
		if f.Hint != "" {
			res.Message.Text = strings.TrimSuffix(f.Message, ".") + ". " + sentence(f.Hint)
			res.Properties = &sarifResultProps{Hint: f.Hint}
		}
		if len(f.References) > 0 {
			if res.Properties == nil {
				res.Properties = &sarifResultProps{}
			}
			res.Properties.References = f.References
		}
		results = append(results, res)
	}

	inv := sarifInvocation{ExecutionSuccessful: len(r.Errors) == 0}
	for _, e := range r.inputErrors() {
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: e.Message}}
		if e.File != "" {
			loc := sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: fileURI(opts.relPath(e.File))}}
			if e.Line > 0 {
				loc.Region = &sarifRegion{StartLine: e.Line}
			}
			n.Locations = []sarifLocation{{PhysicalLocation: &loc}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	log := sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{{
		Tool: sarifTool{Driver: driver}, ColumnKind: "unicodeCodePoints", Invocations: []sarifInvocation{inv}, Results: results,
	}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote values such as ">= 1.36.0" for people and tools, not HTML
	return enc.Encode(log)
}

// sarifLocationOf places a finding: in a file, at its line and column; in a cluster, at the
// object, with the line and column inside a ConfigMap key said in the location's message, as
// a logical location has no region.
func sarifLocationOf(pos lint.Position, cluster bool, opts Options) sarifLocation {
	if cluster {
		loc := sarifLocation{LogicalLocations: []sarifLogicalLocation{{FullyQualifiedName: pos.File, Kind: "resource"}}}
		if pos.Line > 0 {
			loc.Message = &sarifMessage{Text: fmt.Sprintf("line %d, column %d of %s", pos.Line, pos.Column, pos.File)}
		}
		return loc
	}
	loc := &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: fileURI(opts.relPath(pos.File))}}
	if pos.Line > 0 {
		loc.Region = &sarifRegion{StartLine: pos.Line, StartColumn: max(pos.Column, 0)}
	}
	return sarifLocation{PhysicalLocation: loc}
}

// sarifRuleFor describes a rule; a rule the report does not know (a caller that left Rules empty)
// still gets its ID and documentation link.
func sarifRuleFor(id string, rule *lint.Rule) sarifRule {
	out := sarifRule{ID: id, Name: id, HelpURI: RuleDocsURL(id), DefaultConfiguration: sarifRuleConfig{Level: "warning"}}
	out.ShortDescription.Text, out.FullDescription.Text = id, id
	if rule == nil {
		return out
	}
	out.Name = rule.Name
	out.ShortDescription.Text = sentence(rule.Summary)
	out.FullDescription.Text = out.ShortDescription.Text
	if p := firstParagraph(rule.Doc); p != "" {
		out.FullDescription.Text = p
	}
	// GitHub shows help.markdown beside an alert; the plain text, which SARIF requires, stays short.
	if doc := strings.TrimSpace(rule.Doc); doc != "" {
		out.Help = &sarifHelp{Text: out.FullDescription.Text, Markdown: doc}
	}
	out.DefaultConfiguration.Level = sarifLevel(rule.Severity)
	if len(rule.References) > 0 {
		out.Properties = &sarifRuleProps{Tags: []string{"security"}}
		for _, ref := range rule.References {
			out.Properties.Tags = append(out.Properties.Tags, ref.String())
		}
	}
	return out
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return "error"
	case lint.SeverityWarning:
		return "warning"
	}
	return "note"
}

// fileURI turns a file name into a URI reference: relative names stay relative, so that GitHub
// resolves them against the repository; absolute ones become file URIs.
func fileURI(name string) string {
	// A drive is a letter, a colon and a separator: "a:b.yaml" is a relative name with a colon.
	drive := len(name) > 2 && (name[0]|0x20 >= 'a' && name[0]|0x20 <= 'z') && name[1] == ':' && (name[2] == '/' || name[2] == '\\')
	if strings.HasPrefix(name, "/") || drive {
		if !strings.HasPrefix(name, "/") {
			name = "/" + name // Windows drive: file:///C:/...
		}
		return (&url.URL{Scheme: "file", Path: name}).String()
	}
	return (&url.URL{Path: name}).String()
}

// sentence capitalises a summary or hint and ends it with a period, as SARIF descriptions are
// sentences.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.ContainsAny(s[len(s)-1:], ".?!") {
		s += "."
	}
	return s
}

// firstParagraph is a rule doc's rationale: the text up to the first blank line, on one line.
func firstParagraph(doc string) string {
	p, _, _ := strings.Cut(strings.TrimSpace(doc), "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

// RuleDocsURL is the address of a rule's documentation page, which SARIF's helpUri and the
// language server's code descriptions link to.
func RuleDocsURL(id string) string { return ruleDocsBase + id + ".md" }
