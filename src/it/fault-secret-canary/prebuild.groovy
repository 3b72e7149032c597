// The third canary: a credential helper, configured for the registry in a Docker config of its own, both
// outside the project directory (the build context), in target/it/fault-secret-canary-support.
evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
def canaries = evaluate(new File(basedir, '../../../src/it/fault-common/canaries.groovy'))
def support = new File(basedir, '../fault-secret-canary-support').canonicalFile
support.deleteDir()
def bin = new File(support, 'bin')
bin.mkdirs()
def helper = new File(bin, 'docker-credential-canary')
helper.text = """#!/bin/sh
# Test credential helper: answers 'get' with the canary secret, whatever the server.
[ "\$1" = get ] || exit 1
cat >/dev/null
printf '%s' '{"ServerURL":"${itRegistry}","Username":"frankenphp-it","Secret":"${canaries.helper}"}'
"""
helper.setExecutable(true, false)
def config = new File(support, 'docker-config')
config.mkdirs()
new File(config, 'config.json').text = """{"credHelpers": {"${itRegistry}": "canary"}}\n"""
return true
