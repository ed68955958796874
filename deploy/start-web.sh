#!/bin/sh
# The image's start (Dockerfile CMD): migrate, deploy the shipped diagrams, then serve with gunicorn.
#
# MIGRATE=0 serves only: docker-compose.yml migrates once, in its `migrate` service, before any web
# replica starts, so that replicas never race each other through the migrations. In region mode
# (REGION_MODE=1) no school is the default: `flask region deploy` brings every school and the region the
# shipped versions they do not have yet (each school also gets them when it is created).
set -eu
if [ "${MIGRATE:-1}" = 1 ]; then
    flask --app service db upgrade
    if [ "${REGION_MODE:-0}" = 1 ]; then
        flask --app service region deploy
    else
        flask --app service deploy
    fi
fi
exec gunicorn --bind "${BIND:-0.0.0.0:8000}" --workers "${WEB_WORKERS:-4}" --access-logfile - \
    'service:create_app()'
