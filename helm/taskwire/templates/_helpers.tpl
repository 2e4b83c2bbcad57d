{{/* Chart name, at most 63 characters (a DNS label). */}}
{{- define "taskwire.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: release and chart name, or the release name alone when it contains the chart name. At
most 52 characters, so that "-scheduler" and "-worker" suffixes still fit a DNS label.
*/}}
{{- define "taskwire.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "taskwire.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource; the component's come from taskwire.componentLabels. */}}
{{- define "taskwire.labels" -}}
helm.sh/chart: {{ include "taskwire.chart" . }}
{{ include "taskwire.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: taskwire
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "taskwire.selectorLabels" -}}
app.kubernetes.io/name: {{ include "taskwire.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Usage: include "taskwire.componentLabels" (dict "root" $ "component" "scheduler") */}}
{{- define "taskwire.componentLabels" -}}
{{ include "taskwire.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "taskwire.componentSelectorLabels" -}}
{{ include "taskwire.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "taskwire.schedulerName" -}}
{{- printf "%s-scheduler" (include "taskwire.fullname" .) }}
{{- end }}

{{- define "taskwire.workerName" -}}
{{- printf "%s-worker" (include "taskwire.fullname" .) }}
{{- end }}

{{/* The scheduler Service's DNS name, which workers dial (and a TLS certificate must name). */}}
{{- define "taskwire.schedulerHost" -}}
{{- printf "%s.%s.svc" (include "taskwire.schedulerName" .) .Release.Namespace }}
{{- end }}

{{/* Non-empty when several schedulers run: one leads, the others stand by (never ready). */}}
{{- define "taskwire.schedulerStandbys" -}}
{{- if gt (int .Values.scheduler.replicas) 1 }}true{{ end }}
{{- end }}

{{/*
The scheduler pods' affinity: scheduler.affinity, and with standbys an anti-affinity that keeps the
schedulers on different nodes (unless scheduler.affinity has a podAntiAffinity of its own).
*/}}
{{- define "taskwire.schedulerAffinity" -}}
{{- $affinity := deepCopy .Values.scheduler.affinity }}
{{- if and (include "taskwire.schedulerStandbys" .) (not (hasKey $affinity "podAntiAffinity")) }}
{{- $apart := .Values.scheduler.podAntiAffinity }}
{{- $selector := include "taskwire.componentSelectorLabels" (dict "root" . "component" "scheduler") | fromYaml }}
{{- $term := dict "topologyKey" $apart.topologyKey "labelSelector" (dict "matchLabels" $selector) }}
{{- if eq $apart.mode "required" }}
{{- $_ := set $affinity "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) }}
{{- else }}
{{- $preferred := dict "weight" 100 "podAffinityTerm" $term }}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list $preferred)) }}
{{- end }}
{{- end }}
{{- with $affinity }}{{ toYaml . }}{{ end }}
{{- end }}

{{- define "taskwire.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "taskwire.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding worker-token and client-token: the user's, or the one the chart makes. */}}
{{- define "taskwire.secretName" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecret }}
{{- else }}
{{- printf "%s-auth" (include "taskwire.fullname" .) }}
{{- end }}
{{- end }}

{{/* Usage: include "taskwire.image" (dict "root" $ "image" .Values.scheduler.image) */}}
{{- define "taskwire.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- if .root.Values.image.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{- define "taskwire.workerTlsSecretName" -}}
{{- default .Values.tls.secretName .Values.tls.workerSecretName }}
{{- end }}

{{/* The scheduler's application.yml: ports and TLS from the values, then scheduler.config over it. */}}
{{- define "taskwire.schedulerConfig" -}}
{{- $server := dict "port" .Values.scheduler.ports.rsocket }}
{{- $config := dict
  "spring" (dict "rsocket" (dict "server" $server))
  "server" (dict "port" .Values.scheduler.ports.http)
  "management" (dict "server" (dict "port" .Values.scheduler.ports.management))
  "taskwire" (dict "scheduler" (dict "min-workers" .Values.scheduler.minWorkers)) }}
{{- if .Values.tls.enabled }}
{{- $_ := set $server "ssl" (dict "bundle" "taskwire" "client-auth" (ternary "need" "none" .Values.tls.mutual)) }}
{{- $pem := dict "keystore" (dict "certificate" "file:/etc/taskwire/tls/tls.crt" "private-key" "file:/etc/taskwire/tls/tls.key") }}
{{- if .Values.tls.mutual }}
{{- $_ := set $pem "truststore" (dict "certificate" "file:/etc/taskwire/tls/ca.crt") }}
{{- end }}
{{- $_ := set $config.spring "ssl" (dict "bundle" (dict "pem" (dict "taskwire" $pem))) }}
{{- end }}
{{- toYaml (mustMergeOverwrite $config (deepCopy .Values.scheduler.config)) }}
{{- end }}

{{/*
The worker's application.yml: the scheduler's address, slots and TLS, then worker.config over it. The
address is the scheduler Service's, which routes to the ready scheduler: the leader, when there are standbys.
*/}}
{{- define "taskwire.workerConfig" -}}
{{- $scheduler := dict "host" (include "taskwire.schedulerHost" .) "port" .Values.scheduler.ports.rsocket }}
{{- $worker := dict "scheduler" $scheduler "slots" .Values.worker.slots }}
{{- with .Values.worker.labels }}
{{- $_ := set $worker "labels" . }}
{{- end }}
{{- $config := dict
  "server" (dict "port" .Values.worker.ports.management)
  "taskwire" (dict "worker" $worker) }}
{{- if .Values.tls.enabled }}
{{- $_ := set $scheduler "tls" (dict "enabled" true "bundle" "taskwire") }}
{{- $pem := dict "truststore" (dict "certificate" "file:/etc/taskwire/tls/ca.crt") }}
{{- if .Values.tls.mutual }}
{{- $_ := set $pem "keystore" (dict "certificate" "file:/etc/taskwire/tls/tls.crt" "private-key" "file:/etc/taskwire/tls/tls.key") }}
{{- end }}
{{- $_ := set $config "spring" (dict "ssl" (dict "bundle" (dict "pem" (dict "taskwire" $pem)))) }}
{{- end }}
{{- toYaml (mustMergeOverwrite $config (deepCopy .Values.worker.config)) }}
{{- end }}

{{/* Probes on the management port; usage: include "taskwire.probes" (dict "values" .Values.scheduler) */}}
{{- define "taskwire.probes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  {{- toYaml .values.startupProbe | nindent 2 }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  {{- toYaml .values.livenessProbe | nindent 2 }}
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: management
  {{- toYaml .values.readinessProbe | nindent 2 }}
{{- end }}
