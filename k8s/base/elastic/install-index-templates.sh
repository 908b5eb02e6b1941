#!/bin/sh
# PUTs the sink's component templates, then the index templates that compose them (the order of
# dev.ringfence.sinks.template.IndexTemplates). Idempotent: re-running puts the same definitions.
set -eu
ES="https://ringfence-es-http:9200"
AUTH="elastic:$(cat /etc/ringfence/elasticsearch/password)"
put() {
  curl --fail-with-body --silent --show-error --cacert /etc/ringfence/elasticsearch/ca.crt -u "$AUTH" \
    -X PUT -H 'Content-Type: application/json' --data-binary "@/setup/templates/$2.json" "$ES/$1/$2"
  echo
}
for component in ringfence-settings ringfence-ecs-base ringfence-alerts-mappings ringfence-audit-mappings; do
  put _component_template "$component"
done
for template in ringfence-alerts ringfence-audit; do
  put _index_template "$template"
done
