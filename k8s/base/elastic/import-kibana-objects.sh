#!/bin/sh
# Imports the data views and dashboards of sinks/kibana/ (overwrite: re-running updates them in place).
set -eu
KIBANA="https://ringfence-kb-http:5601"
curl --fail-with-body --silent --show-error --cacert /etc/ringfence/kibana/ca.crt \
  -u "elastic:$(cat /etc/ringfence/elasticsearch/password)" \
  -H 'kbn-xsrf: ringfence' -X POST "$KIBANA/api/saved_objects/_import?overwrite=true" \
  --form file=@/setup/kibana/ringfence.ndjson
echo
