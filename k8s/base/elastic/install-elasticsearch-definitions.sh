#!/bin/sh
# PUTs the sink's ILM policies, its component templates, then the index templates that compose them and
# name the policies (the order of dev.ringfence.sinks.template.IndexTemplates). Idempotent: re-running puts
# the same definitions.
set -eu
ES="https://ringfence-es-http:9200"
AUTH="elastic:$(cat /etc/ringfence/elasticsearch/password)"
put() {
  curl --fail-with-body --silent --show-error --cacert /etc/ringfence/elasticsearch/ca.crt -u "$AUTH" \
    -X PUT -H 'Content-Type: application/json' --data-binary "@$2" "$ES/$1"
  echo
}
for policy in /setup/ilm/*.json; do
  put "_ilm/policy/$(basename "$policy" .json)" "$policy"
done
for component in ringfence-settings ringfence-ecs-base ringfence-alerts-mappings ringfence-audit-mappings; do
  put "_component_template/$component" "/setup/templates/$component.json"
done
for template in ringfence-alerts ringfence-audit; do
  put "_index_template/$template" "/setup/templates/$template.json"
done
