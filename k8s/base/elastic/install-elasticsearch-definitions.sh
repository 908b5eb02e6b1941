#!/bin/sh
# PUTs every ILM policy and template the sinks image carries: policies first, then the component templates,
# then the index templates (the files with index_patterns) that compose them and name the policies - the
# order dev.ringfence.sinks.template.IndexTemplates installs them in. Idempotent: re-running puts the same
# definitions. Which templates exist is the sink's business; this script follows the files.
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
for template in /setup/templates/*.json; do
  grep -q '"index_patterns"' "$template" || put "_component_template/$(basename "$template" .json)" "$template"
done
for template in /setup/templates/*.json; do
  grep -q '"index_patterns"' "$template" && put "_index_template/$(basename "$template" .json)" "$template"
done
