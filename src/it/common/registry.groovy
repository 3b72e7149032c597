// Helpers for verify scripts: the test registry's HTTP API (through curl, which trusts the
// test CA installed by src/test/infra/setup.sh) and docker CLI calls. Returns a map of closures.
import groovy.json.JsonSlurper

def registry = itRegistry
def password = new File('/var/lib/frankenphp-it/registry-password').text.trim()

def sh = { List<String> command ->
    def process = command.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    process.consumeProcessOutput(out, err)
    process.waitForOrKill(120000)
    [exit: process.exitValue(), out: out.toString(), err: err.toString()]
}

def api = { String path, List<String> extra = [] ->
    sh(['curl', '-sS', '-u', "frankenphp-it:${password}".toString(), '-H',
        'Accept: application/vnd.docker.distribution.manifest.v2+json'] + extra + ["https://${registry}${path}".toString()])
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

return [registry: registry, password: password, sh: sh, tags: tags, manifestDigest: manifestDigest]
