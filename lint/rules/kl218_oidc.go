package rules

import (
	"fmt"
	"net/url"
	"strings"

	"k8s.io/apiserver/pkg/apis/apiserver"
	apiservervalidation "k8s.io/apiserver/pkg/apis/apiserver/validation"
	"k8s.io/utils/ptr"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// oidcOptions is what kube-apiserver checks of the oidc-* flags before it serves: the issuer and
// the client ID given together, no oidc-* flag beside an authentication-config
// (validateOIDCOptions); then ToAuthenticationConfig turns them into a JWT authenticator and
// validates it as an AuthenticationConfiguration's, beside the service account issuers, and
// oidc.New its signing algorithms.
func oidcOptions(fv *flagView) []violation {
	first := -1
	for i, a := range fv.list.Args {
		if strings.HasPrefix(a.Name, "oidc-") {
			first = i
			break
		}
	}
	if first < 0 {
		return nil
	}
	if v, _, _ := fv.get("authentication-config"); v != "" {
		return []violation{{index: first, msg: "oidc-* flags are set beside authentication-config",
			hint: "move the OIDC settings into the AuthenticationConfiguration's jwt list; kube-apiserver takes one or the other and exits at start"}}
	}
	issuer, issuerAt, _ := fv.get("oidc-issuer-url")
	client, _, _ := fv.get("oidc-client-id")
	if issuer == "" || client == "" {
		return []violation{{index: first, msg: "oidc-issuer-url and oidc-client-id are not both set",
			hint: "set both: once any oidc-* flag is given kube-apiserver requires them together, and exits at start"}}
	}
	// oidc.New, as the API server builds its authenticators at start, holds the signing
	// algorithms to its allowlist.
	algs := unknownNames(fv, "oidc-signing-algs", "oidc-signing-algs", "OIDC signing algorithm")
	jwt, at, ok := oidcAuthenticator(fv, issuer, client)
	if !ok {
		return algs // a table without the claim's default: the authenticator would not be kube-apiserver's
	}
	var saIssuers []string
	for _, e := range fv.entries("service-account-issuer") {
		saIssuers = append(saIssuers, e.value) // a stringArray: one issuer an occurrence
	}
	cfg := &apiserver.AuthenticationConfiguration{JWT: []apiserver.JWTAuthenticator{jwt}}
	var out []violation
	for _, e := range apiservervalidation.ValidateAuthenticationConfiguration(lint.AuthenticationCompiler(), cfg, saIssuers) {
		flag, index := "oidc-issuer-url", issuerAt
		for prefix, f := range at {
			if strings.HasPrefix(e.Field, prefix) {
				if _, i, ok := fv.get(f); ok && i >= 0 {
					flag, index = f, i
				}
			}
		}
		what, _, _ := strings.Cut(e.Detail, ":") // the clause; the rest is in the hint
		if what == "" {
			what = e.Type.String()
		}
		out = append(out, violation{index: index, msg: fmt.Sprintf("%s: %s", flag, what),
			hint: fmt.Sprintf("correct %s, as kube-apiserver validates the oidc-* flags as a JWT authenticator and exits at start: %s", flag, e.Error())})
	}
	return append(out, algs...)
}

// oidcAuthenticator builds the JWT authenticator kube-apiserver builds from the oidc-* flags
// (BuiltInAuthenticationOptions.ToAuthenticationConfig), and says which flag each of its fields
// comes from; ok is false when the release's table lacks a default it needs.
func oidcAuthenticator(fv *flagView, issuer, client string) (jwt apiserver.JWTAuthenticator, from map[string]string, ok bool) {
	value := func(flag string) string { v, _, _ := fv.get(flag); return v }
	claim, prefix := value("oidc-username-claim"), value("oidc-username-prefix")
	if _, at, set := fv.get("oidc-username-claim"); !set || at < 0 {
		if claim = fv.rel.Component(release.APIServer).Fact("default/oidc-username-claim"); claim == "" {
			return jwt, nil, false
		}
	}
	usernamePrefix := prefix
	if prefix == "" && claim != "email" {
		usernamePrefix = issuer + "#" // the flags' legacy prefix
	}
	if prefix == "-" {
		usernamePrefix = ""
	}
	jwt = apiserver.JWTAuthenticator{
		Issuer: apiserver.Issuer{URL: issuer, Audiences: []string{client}},
		ClaimMappings: apiserver.ClaimMappings{
			Username: apiserver.PrefixedClaimOrExpression{Prefix: ptr.To(usernamePrefix), Claim: claim},
		},
	}
	if groups := value("oidc-groups-claim"); groups != "" {
		jwt.ClaimMappings.Groups = apiserver.PrefixedClaimOrExpression{Prefix: ptr.To(value("oidc-groups-prefix")), Claim: groups}
	}
	for _, e := range fv.entries("oidc-required-claim") {
		for _, kv := range listed(e.value) {
			k, v, _ := strings.Cut(kv, "=")
			jwt.ClaimValidationRules = append(jwt.ClaimValidationRules, apiserver.ClaimValidationRule{Claim: k, RequiredValue: v})
		}
	}
	return jwt, map[string]string{
		"jwt[0].issuer.audiences":              "oidc-client-id",
		"jwt[0].claimMappings.username.claim":  "oidc-username-claim",
		"jwt[0].claimMappings.username.prefix": "oidc-username-prefix",
		"jwt[0].claimMappings.groups.claim":    "oidc-groups-claim",
		"jwt[0].claimMappings.groups.prefix":   "oidc-groups-prefix",
		"jwt[0].claimValidationRules":          "oidc-required-claim",
	}, true
}

// serviceAccountOptions is BuiltInAuthenticationOptions.Validate's check of the service account
// flags: each --service-account-issuer (a stringArray, one issuer an occurrence) a URL when it has
// a ':', not empty and not repeated; --service-account-jwks-uri an https URL.
func serviceAccountOptions(fv *flagView) []violation {
	var out []violation
	seen := map[string]bool{}
	for _, e := range fv.entries("service-account-issuer") {
		var msg string
		if _, err := url.Parse(e.value); strings.Contains(e.value, ":") && err != nil {
			msg = fmt.Sprintf("service-account-issuer %q is not a valid URL", e.value)
		} else if e.value == "" {
			msg = "service-account-issuer is empty"
		} else if seen[e.value] {
			msg = fmt.Sprintf("service-account-issuer %q is given more than once", e.value)
		}
		seen[e.value] = true
		if msg != "" && e.index >= 0 {
			out = append(out, violation{index: e.index, msg: msg,
				hint: "give each issuer once, the one that signs new tokens first; kube-apiserver exits at start"})
		}
	}
	// The API server's Complete and validateServiceAccountTokenSigningConfig: an external signer
	// replaces the keys, and kubeadm always passes --service-account-signing-key-file and
	// --service-account-key-file, which even given empty is one file to pflag.
	if v, at, ok := fv.get("service-account-signing-endpoint"); ok && at >= 0 && v != "" && len(fv.entries("service-account-key-file")) > 0 {
		out = append(out, violation{index: at, msg: "service-account-signing-endpoint is set beside the service account key files kubeadm passes",
			hint: "drop kubeadm's service-account key flags from the static Pod with a patch (patches.directory), or sign with kubeadm's keys; kube-apiserver exits at start"})
	}
	if v, at, ok := fv.get("service-account-jwks-uri"); ok && at >= 0 && v != "" {
		if u, err := url.Parse(v); err != nil || u.Scheme != "https" {
			out = append(out, violation{index: at, msg: fmt.Sprintf("service-account-jwks-uri %q is not an https URL", v),
				hint: "serve the keys over https, or remove the flag for the API server's own; kube-apiserver exits at start"})
		}
	}
	return out
}
