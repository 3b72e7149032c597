def canaries = evaluate(new File(basedir, '../../../src/it/fault-common/canaries.groovy'))
def scan = evaluate(new File(basedir, '../../../src/it/fault-common/scan.groovy'))
def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def log = new File(basedir, 'build.log').text

// Every form a secret could take in a log or a file: as is, base64 alone, and in a basic-auth header.
def secrets = [:]
canaries.each { name, secret ->
    secrets[name] = secret
    secrets[name + ' (base64)'] = secret.bytes.encodeBase64().toString()
    secrets[name + ' (basic auth)'] = "frankenphp-it:${secret}".bytes.encodeBase64().toString()
}

// The three invocations did what they were meant to (all three write to this build.log).
assert log.contains("Registry credentials for ${support.registry}: user 'frankenphp-it' from environment variables FRANKENPHP_REGISTRY_USERNAME/FRANKENPHP_REGISTRY_PASSWORD")
assert log.contains("Registry login to ${support.registry} succeeded")
assert log.contains("Registry login to ${support.registry} was refused for user 'frankenphp-it' with credentials from Maven settings.xml <server> 'canary-settings'")
assert log.contains("Registry login to ${support.registry} was refused for user 'frankenphp-it' with credentials from docker-credential-canary (credHelpers['${support.registry}']")
assert log.findAll(/\[DEBUG\]/).size() > 100 : 'the invocations must run with -X'
// The plugin's own -X lines (docs/usage.md, Logging), which the canary scan below covers too.
assert log.contains('[DEBUG] Docker endpoint: ')
assert log.contains("[DEBUG] Registry credentials for ${support.registry}: sources in order: settings.xml <server> id 'no-such-server'")
assert log.contains('[DEBUG] Registry credentials: 1. ')
assert log.contains('[DEBUG] Registry retries: up to ')
assert log.contains('[DEBUG] Build context walk: ')
assert log.contains('[DEBUG] Build context: ') && log.contains('rendered files laid over the project: .dockerignore, Dockerfile')
assert !log.contains('localhost:2375') : 'docker-java\'s stand-in address is not the plugin\'s to print'

// The first invocation built and pushed; the two refused ones then deleted its image.json (a build that fails
// leaves no record), so the image comes from the log.
def built = (log =~ /Built (sha256:[0-9a-f]{64}) as (\S+), /)
assert built.find() : 'the first invocation must build'
def image = built.group(1)
assert log.contains("Pushed ${built.group(2)} (sha256:") : 'the first invocation must push'
assert !new File(basedir, 'target/frankenphp/image.json').exists()

def findings = []
findings += scan.inText(log, secrets)
findings += scan.inTree(new File(basedir, 'target'), secrets)
def work = new File(basedir, 'target-scan')
work.mkdirs()
findings += scan.inImage(image, secrets, work)
work.deleteDir()
assert findings.isEmpty() : "secrets leaked: ${findings}"
return true
