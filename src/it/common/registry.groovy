// Helpers for verify scripts: the test registry's HTTP API (through curl, which trusts the
// test CA installed by src/test/infra/setup.sh) and docker CLI calls. Returns a map of closures.
import groovy.json.JsonSlurper

def registry = itRegistry
def password = new File('/var/lib/frankenphp-it/registry-password').text.trim()

// waitForProcessOutput, not consumeProcessOutput + waitFor: the latter can return before the
// reader threads have drained stdout, which truncated `docker image inspect` output in CI.
def sh = { List<String> command ->
    def process = command.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    [exit: process.exitValue(), out: out.toString(), err: err.toString()]
}

// The password goes to curl on stdin (-K -), never on a command line `ps` could show.
def api = { String path, List<String> extra = [] ->
    def process = (['curl', '-sS', '-K', '-', '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json'] + extra
            + ["https://${registry}${path}".toString()]).execute()
    process.withWriter { it << "user = \"frankenphp-it:${password}\"\n" }
    def out = new StringBuilder(), err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    [exit: process.exitValue(), out: out.toString(), err: err.toString()]
}

def tags = { String repository ->
    def result = api("/v2/${repository}/tags/list")
    def json = new JsonSlurper().parseText(result.out)
    json.tags ?: []
}

def manifestDigest = { String repository, String tag ->
    def result = api("/v2/${repository}/manifests/${tag}", ['-I'])
    def line = result.out.readLines().find { it.toLowerCase().startsWith('docker-content-digest:') }
    line ? line.split(':', 2)[1].trim() : null
}

// The build recorded in <basedir>/target/frankenphp/image.json was pushed (its version tag and latest, on the
// recorded digest) and the engine has it (asked through its local socket). Returns the record.
def builtAndPushed = { File basedir, String repository ->
    def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
    def pushedTags = tags(repository)
    assert pushedTags.contains(record.version) && pushedTags.contains('latest') : "registry tags: ${pushedTags}"
    assert manifestDigest(repository, 'latest') == record.pushed[record.version]
    def inspect = sh(['docker', 'image', 'inspect', '--format', '{{.Id}}', "${registry}/${repository}:${record.version}".toString()])
    assert inspect.exit == 0 && inspect.out.trim() == record.imageId
    record
}

// The password is behind a closure so that a failed power assert printing this map does not show it.
return [registry: registry, password: { -> password }, sh: sh, tags: tags, manifestDigest: manifestDigest, builtAndPushed: builtAndPushed]
