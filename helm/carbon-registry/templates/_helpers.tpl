{{/*
Names, labels and the pieces every pod template shares.
*/}}

{{- define "carbon-registry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "carbon-registry.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a component's objects: <fullname>-<component>, within 63 characters. */}}
{{- define "carbon-registry.componentName" -}}
{{- printf "%s-%s" (include "carbon-registry.fullname" .ctx | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "carbon-registry.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "carbon-registry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "carbon-registry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Common labels; call with (dict "ctx" $ "component" "gateway"). */}}
{{- define "carbon-registry.labels" -}}
helm.sh/chart: {{ include "carbon-registry.chart" .ctx }}
{{ include "carbon-registry.selectorLabels" .ctx }}
app.kubernetes.io/version: {{ include "carbon-registry.imageTag" .ctx | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: carbon-registry
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{- define "carbon-registry.componentSelectorLabels" -}}
{{ include "carbon-registry.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
Process types: the argv after `registry` for each one. Must equal gateway.cli.PROCESS_TYPES
(tests/deploy checks it).
*/}}
{{- define "carbon-registry.processArgs" -}}
{{- $args := dict
      "gateway" (list "serve")
      "relay" (list "relay")
      "consumer-reporting" (list "consume" "reporting")
      "consumer-cadt" (list "consume" "cadt")
      "consumer-interregistry" (list "consume" "interregistry")
      "consumer-notifications" (list "consume" "notifications")
      "consumer-webhooks" (list "consume" "webhooks")
      "sequencer" (list "transparency" "sequence" "--every" "5") -}}
{{- $found := get $args . -}}
{{- if not $found -}}
{{- fail (printf "unknown process type %q" .) -}}
{{- end -}}
{{- toJson $found -}}
{{- end -}}

{{/* Image tag: image.tag, else the chart appVersion; never "latest". */}}
{{- define "carbon-registry.imageTag" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag | toString -}}
{{- if or (eq $tag "") (eq (lower $tag) "latest") -}}
{{- fail "image.tag (or the chart appVersion) must be an explicit version, never empty or \"latest\"" -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{- define "carbon-registry.image" -}}
{{- $tag := include "carbon-registry.imageTag" . -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "carbon-registry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "carbon-registry.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- secrets */}}

{{/* The Secret this chart creates from plain values (a pre-install/pre-upgrade hook). */}}
{{- define "carbon-registry.secretName" -}}
{{- printf "%s-secrets" (include "carbon-registry.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "true" when any secret value is given inline, so the chart must create its Secret. */}}
{{- define "carbon-registry.createSecret" -}}
{{- if or .Values.postgres.url .Values.postgres.ownerUrl .Values.secretKey.value .Values.kafka.security.sasl.password -}}
true
{{- end -}}
{{- end -}}

{{/* A secretKeyRef env var; call with (dict "name" ENV "secret" NAME "key" KEY). */}}
{{- define "carbon-registry.secretEnvVar" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/*
Secret environment. Call with (dict "ctx" $ "owner" true|false): only the migration Job
(owner=true) gets DATABASE_OWNER_URL.
*/}}
{{- define "carbon-registry.secretEnv" -}}
{{- $v := .ctx.Values -}}
{{- $chartSecret := include "carbon-registry.secretName" .ctx -}}
{{- if $v.postgres.existingSecret }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "DATABASE_URL" "secret" $v.postgres.existingSecret "key" $v.postgres.urlKey) }}
{{- if .owner }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "DATABASE_OWNER_URL" "secret" $v.postgres.existingSecret "key" $v.postgres.ownerUrlKey) }}
{{- end }}
{{- else }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "DATABASE_URL" "secret" $chartSecret "key" "DATABASE_URL") }}
{{- if .owner }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "DATABASE_OWNER_URL" "secret" $chartSecret "key" "DATABASE_OWNER_URL") }}
{{- end }}
{{- end }}
{{- if $v.secretKey.existingSecret }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "SECRET_KEY" "secret" $v.secretKey.existingSecret "key" $v.secretKey.existingSecretKey) }}
{{- else if $v.secretKey.value }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "SECRET_KEY" "secret" $chartSecret "key" "SECRET_KEY") }}
{{- end }}
{{- $sasl := $v.kafka.security.sasl -}}
{{- if $sasl.existingSecret }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "KAFKA_SASL_PASSWORD" "secret" $sasl.existingSecret "key" $sasl.existingSecretKey) }}
{{- else if $sasl.password }}
{{ include "carbon-registry.secretEnvVar" (dict "name" "KAFKA_SASL_PASSWORD" "secret" $chartSecret "key" "KAFKA_SASL_PASSWORD") }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- configuration */}}

{{- define "carbon-registry.kafkaCaDir" -}}/etc/registry/kafka-ca{{- end -}}

{{/* Non-secret settings as a YAML map (the ConfigMap data; inlined into the hook Job). */}}
{{- define "carbon-registry.config" -}}
{{- $v := .Values -}}
REGISTRY_ENV: {{ $v.environment | quote }}
REGISTRY_TENANCY_MODE: {{ $v.tenancy.mode | quote }}
REGISTRY_HOST: "0.0.0.0"
REGISTRY_PORT: {{ $v.gateway.port | quote }}
LOG_LEVEL: {{ $v.logLevel | quote }}
READY_MAX_OUTBOX_AGE_SECONDS: {{ $v.gateway.readyMaxOutboxAgeSeconds | quote }}
REGISTRY_IN_FLIGHT_PER_REGISTRY: {{ $v.gateway.inFlightPerRegistry | quote }}
DATABASE_APP_ROLE: {{ $v.postgres.appRole | quote }}
KAFKA_BOOTSTRAP_SERVERS: {{ $v.kafka.bootstrapServers | quote }}
KAFKA_TOPIC_PREFIX: {{ $v.kafka.topicPrefix | quote }}
KAFKA_SECURITY_PROTOCOL: {{ $v.kafka.security.protocol | quote }}
{{- with $v.kafka.security.sasl.mechanism }}
KAFKA_SASL_MECHANISM: {{ . | quote }}
{{- end }}
{{- with $v.kafka.security.sasl.username }}
KAFKA_SASL_USERNAME: {{ . | quote }}
{{- end }}
{{- if $v.kafka.security.tls.caSecret }}
KAFKA_SSL_CAFILE: {{ printf "%s/%s" (include "carbon-registry.kafkaCaDir" .) $v.kafka.security.tls.caKey | quote }}
{{- end }}
{{- with $v.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
OTEL_EXPORTER_OTLP_PROTOCOL: {{ $v.otel.protocol | quote }}
{{- end }}
OTEL_RESOURCE_ATTRIBUTES: {{ printf "service.namespace=%s,service.version=%s,deployment.environment.name=%s" $v.otel.serviceName (include "carbon-registry.imageTag" .) $v.environment | quote }}
{{- end -}}

{{- define "carbon-registry.configMapName" -}}
{{- printf "%s-config" (include "carbon-registry.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Environment of a long-running container. Call with (dict "ctx" $ "component" NAME).
*/}}
{{- define "carbon-registry.containerEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "carbon-registry.configMapName" .ctx }}
env:
  - name: OTEL_SERVICE_NAME
    value: {{ printf "%s-%s" .ctx.Values.otel.serviceName .component | quote }}
{{- if eq .component "gateway" }}
  - name: REGISTRY_WORKERS
    value: {{ .ctx.Values.gateway.workers | quote }}
{{- end }}
{{- include "carbon-registry.secretEnv" (dict "ctx" .ctx "owner" false) | trim | nindent 2 }}
{{- with .ctx.Values.extraEnv }}
{{ toYaml . | indent 2 }}
{{- end }}
{{- end -}}

{{/* Rolls the pods when configuration (or a chart-created secret) changes. */}}
{{- define "carbon-registry.checksums" -}}
checksum/config: {{ include "carbon-registry.config" . | sha256sum }}
{{- if include "carbon-registry.createSecret" . }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- pod hardening */}}

{{- define "carbon-registry.podSpecCommon" -}}
serviceAccountName: {{ include "carbon-registry.serviceAccountName" . }}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "carbon-registry.volumes" -}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- if .Values.kafka.security.tls.caSecret }}
  - name: kafka-ca
    secret:
      secretName: {{ .Values.kafka.security.tls.caSecret }}
      defaultMode: 0444
      items:
        - key: {{ .Values.kafka.security.tls.caKey }}
          path: {{ .Values.kafka.security.tls.caKey }}
{{- end }}
{{- end -}}

{{- define "carbon-registry.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- if .Values.kafka.security.tls.caSecret }}
  - name: kafka-ca
    mountPath: {{ include "carbon-registry.kafkaCaDir" . }}
    readOnly: true
{{- end }}
{{- end -}}

{{- define "carbon-registry.podAnnotations" -}}
{{- include "carbon-registry.checksums" . }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}
