#!/bin/sh
# Extra file rendered by a user template.
echo [=quoteShell("starting " + image.latest + " 'as' $USER")]
exec "$@"
