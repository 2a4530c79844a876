package output

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

func TestSARIF(t *testing.T) {
	at := func(file string, line, col int) *Report {
		return &Report{
			Findings: []lint.Finding{{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: file, Line: line, Column: col}, Message: "m"}},
			Rules:    testRules(),
		}
	}
	tests := map[string]struct {
		report   *Report
		opts     Options
		wantURIs []string // one per result
		wantRule []string // the driver's rules, in order
	}{
		"every finding is a result with a region": {
			report: testReport(), opts: Options{ToolVersion: "v1.2.3"},
			wantURIs: []string{"a.yaml", "a.yaml", "b.yaml"},
			wantRule: []string{"KL008", "KL203", "KL305"},
		},
		"a run without findings still has a driver, rules and results": {
			report: &Report{Rules: testRules()}, opts: Options{ToolVersion: "v1.2.3"},
		},
		"a finding without a line has no region": {
			report: at("a.yaml", 0, 0), wantURIs: []string{"a.yaml"}, wantRule: []string{"KL008"},
		},
		"a finding without a column has a line only": {
			report: at("a.yaml", 4, 0), wantURIs: []string{"a.yaml"}, wantRule: []string{"KL008"},
		},
		"absolute paths below the work dir become relative": {
			report: at("/repo/configs/a.yaml", 1, 1), opts: Options{WorkDir: "/repo"},
			wantURIs: []string{"configs/a.yaml"}, wantRule: []string{"KL008"},
		},
		"absolute paths elsewhere become file URIs": {
			report: at("/etc/kubeadm/init config.yaml", 1, 1), opts: Options{WorkDir: "/repo"},
			wantURIs: []string{"file:///etc/kubeadm/init%20config.yaml"}, wantRule: []string{"KL008"},
		},
		"standard input gets an escaped name": {
			report: at("<stdin>", 1, 1), wantURIs: []string{"%3Cstdin%3E"}, wantRule: []string{"KL008"},
		},
		"a rule the report does not describe still gets its ID and link": {
			report:   &Report{Findings: []lint.Finding{{Rule: "KL999", Severity: lint.SeverityWarning, Pos: lint.Position{File: "a.yaml", Line: 1, Column: 1}, Message: "m"}}},
			wantURIs: []string{"a.yaml"}, wantRule: []string{"KL999"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := SARIF(&b, tt.report, tt.opts); err != nil {
				t.Fatal(err)
			}
			checkSARIF(t, b.Bytes(), tt.report, tt.opts)
			var log struct {
				Runs []struct {
					Tool struct {
						Driver struct{ Rules []struct{ ID string } }
					}
					Results []struct {
						Locations []struct {
							PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
						}
					}
				}
			}
			if err := json.Unmarshal(b.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			var uris, rules []string
			for _, res := range log.Runs[0].Results {
				uris = append(uris, res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
			}
			for _, r := range log.Runs[0].Tool.Driver.Rules {
				rules = append(rules, r.ID)
			}
			if strings.Join(uris, " ") != strings.Join(tt.wantURIs, " ") {
				t.Errorf("URIs %q, want %q", uris, tt.wantURIs)
			}
			if strings.Join(rules, " ") != strings.Join(tt.wantRule, " ") {
				t.Errorf("rules %q, want %q", rules, tt.wantRule)
			}
		})
	}
}

// checkSARIF checks the fields SARIF 2.1.0 requires and the ones GitHub code scanning reads, on the
// generic JSON rather than on our own types, so that a wrong tag cannot hide.
func checkSARIF(t *testing.T, data []byte, r *Report, opts Options) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	str := func(v any, where string) string {
		s, ok := v.(string)
		if !ok || s == "" {
			t.Errorf("%s: want a non-empty string, got %#v", where, v)
		}
		return s
	}
	obj := func(v any, where string) map[string]any {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: want an object, got %#v", where, v)
		}
		return m
	}
	arr := func(v any, where string) []any {
		a, ok := v.([]any)
		if !ok {
			t.Fatalf("%s: want an array (not null), got %#v", where, v)
		}
		return a
	}
	num := func(v any, where string) int {
		n, ok := v.(float64)
		if !ok {
			t.Fatalf("%s: want a number, got %#v", where, v)
		}
		return int(n)
	}
	levels := map[lint.Severity]string{lint.SeverityError: "error", lint.SeverityWarning: "warning", lint.SeverityInfo: "note"}

	str(doc["$schema"], "$schema")
	if doc["version"] != "2.1.0" {
		t.Errorf("version = %v, want 2.1.0", doc["version"])
	}
	runs := arr(doc["runs"], "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	run := obj(runs[0], "runs[0]")
	driver := obj(obj(run["tool"], "tool")["driver"], "tool.driver")
	if str(driver["name"], "driver.name") != "kubeadm-lint" {
		t.Errorf("driver.name = %v", driver["name"])
	}
	if u, err := url.Parse(str(driver["informationUri"], "driver.informationUri")); err != nil || !u.IsAbs() {
		t.Errorf("driver.informationUri %v is not an absolute URI", driver["informationUri"])
	}
	if opts.ToolVersion != "" && driver["version"] != opts.ToolVersion {
		t.Errorf("driver.version = %v, want %s", driver["version"], opts.ToolVersion)
	}
	ruleIDs := []string{}
	for i, v := range arr(driver["rules"], "driver.rules") {
		rule := obj(v, "rule")
		id := str(rule["id"], "rule.id")
		ruleIDs = append(ruleIDs, id)
		if !regexp.MustCompile(`^KL\d{3}$`).MatchString(id) {
			t.Errorf("rules[%d].id = %q", i, id)
		}
		str(rule["name"], id+".name")
		str(obj(rule["shortDescription"], id+".shortDescription")["text"], id+".shortDescription.text")
		str(obj(rule["fullDescription"], id+".fullDescription")["text"], id+".fullDescription.text")
		if want := "https://github.com/kubeadm-lint/kubeadm-lint/blob/main/docs/rules/" + id + ".md"; rule["helpUri"] != want {
			t.Errorf("%s.helpUri = %v, want %s", id, rule["helpUri"], want)
		}
		switch lvl := obj(rule["defaultConfiguration"], id+".defaultConfiguration")["level"]; lvl {
		case "error", "warning", "note":
		default:
			t.Errorf("%s.defaultConfiguration.level = %v", id, lvl)
		}
	}
	results := arr(run["results"], "results")
	if len(results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(results), len(r.Findings))
	}
	for i, v := range results {
		f, res := r.Findings[i], obj(v, "result")
		where := f.Pos.String()
		if res["ruleId"] != f.Rule {
			t.Errorf("%s: ruleId = %v, want %s", where, res["ruleId"], f.Rule)
		}
		if idx := num(res["ruleIndex"], where+": ruleIndex"); idx < 0 || idx >= len(ruleIDs) || ruleIDs[idx] != f.Rule {
			t.Errorf("%s: ruleIndex %d does not point at %s in %v", where, idx, f.Rule, ruleIDs)
		}
		if res["level"] != levels[f.Severity] {
			t.Errorf("%s: level = %v, want %s", where, res["level"], levels[f.Severity])
		}
		wantText, wantProps := f.Message, any(nil)
		if f.Hint != "" {
			wantText = f.Message + ". " + strings.ToUpper(f.Hint[:1]) + f.Hint[1:] + "."
			wantProps = map[string]any{"hint": f.Hint}
		}
		if got := obj(res["message"], where+": message")["text"]; got != wantText {
			t.Errorf("%s: message.text = %q, want %q", where, got, wantText)
		}
		if !reflect.DeepEqual(res["properties"], wantProps) {
			t.Errorf("%s: properties = %v, want %v", where, res["properties"], wantProps)
		}
		locs := arr(res["locations"], where+": locations")
		if len(locs) != 1 {
			t.Fatalf("%s: %d locations, want 1", where, len(locs))
		}
		phys := obj(obj(locs[0], "location")["physicalLocation"], where+": physicalLocation")
		uri := str(obj(phys["artifactLocation"], where+": artifactLocation")["uri"], where+": uri")
		if _, err := url.Parse(uri); err != nil || strings.Contains(uri, `\`) {
			t.Errorf("%s: uri %q is not a URI reference with forward slashes", where, uri)
		}
		region, hasRegion := phys["region"]
		if f.Pos.Line < 1 {
			if hasRegion {
				t.Errorf("%s: a finding without a line has region %v", where, region)
			}
			continue
		}
		reg := obj(region, where+": region")
		if got := num(reg["startLine"], where+": startLine"); got != f.Pos.Line {
			t.Errorf("%s: startLine = %d", where, got)
		}
		if col, ok := reg["startColumn"]; f.Pos.Column > 0 && (!ok || num(col, where+": startColumn") != f.Pos.Column) {
			t.Errorf("%s: startColumn = %v", where, col)
		} else if f.Pos.Column == 0 && ok {
			t.Errorf("%s: startColumn %v for a finding without a column", where, col)
		}
	}
}
