{{/* The chart's name, and the release's name for objects: at most 63 characters (DNS labels). */}}
{{- define "kubeadm-lint-webhook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* A release named after the chart gets no prefix, so that the default install's objects have
the names of manifests/base. */}}
{{- define "kubeadm-lint-webhook.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kubeadm-lint-webhook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubeadm-lint-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kubeadm-lint-webhook.labels" -}}
{{ include "kubeadm-lint-webhook.selectorLabels" . }}
app.kubernetes.io/part-of: kubeadm-lint
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "kubeadm-lint-webhook.tlsSecret" -}}
{{- if eq .Values.certificate.source "secret" }}
{{- .Values.certificate.secretName }}
{{- else }}
{{- printf "%s-tls" (include "kubeadm-lint-webhook.fullname" .) }}
{{- end }}
{{- end }}

{{/* The DNS names the API server checks the serving certificate against. */}}
{{- define "kubeadm-lint-webhook.dnsNames" -}}
{{- $svc := include "kubeadm-lint-webhook.fullname" . }}
{{- list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) | toJson }}
{{- end }}

{{- define "kubeadm-lint-webhook.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* In-cluster: the webhook runs as a Deployment. With webhook.url it runs elsewhere. */}}
{{- define "kubeadm-lint-webhook.inCluster" -}}
{{- if not .Values.webhook.url }}true{{ end }}
{{- end }}

{{/* clientConfig of one webhook: (list $ path caBundleBase64). */}}
{{- define "kubeadm-lint-webhook.clientConfig" -}}
{{- $root := index . 0 }}
{{- $path := index . 1 }}
{{- $ca := index . 2 }}
{{- if $root.Values.webhook.url }}
url: {{ printf "%s%s" (trimSuffix "/" $root.Values.webhook.url) $path | quote }}
{{- else }}
service:
  name: {{ include "kubeadm-lint-webhook.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  path: {{ $path }}
  port: 443
{{- end }}
{{- with $ca }}
caBundle: {{ . }}
{{- end }}
{{- end }}

{{/* cert-manager's cainjector fills caBundle from the Certificate. */}}
{{- define "kubeadm-lint-webhook.webhookAnnotations" -}}
{{- if and (include "kubeadm-lint-webhook.inCluster" .) (eq .Values.certificate.source "cert-manager") }}
annotations:
  cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "kubeadm-lint-webhook.fullname" . }}
{{- end }}
{{- end }}
