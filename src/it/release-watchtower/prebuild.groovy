import groovy.json.JsonOutput

// The token is the <password> of <server> watchtower-it in src/it/settings.xml.
def binding = new Binding([basedir: basedir, token: 'it-watchtower-Canary7Token', oldVersion: '1.0.0', newVersion: '1.1.0',
                           switchDelayMillis: 1500])
def standIn = new GroovyShell(getClass().classLoader, binding).evaluate(new File(basedir, '../../../src/it/common/watchtower-stand-in.groovy'))
def pom = new File(basedir, 'pom.xml')
pom.text = pom.text.replace('WATCHTOWER_URL', standIn.watchtowerUrl()).replace('APP_URL', standIn.appUrl())

// What build and push record: 1.1.0 built, pushed, and latest moved to it (nothing here talks to a registry).
def repository = 'docker-registry.miweb.fr/it/release-watchtower'
def digest = 'sha256:' + '1' * 64
def record = [repository: repository, version: '1.1.0', tags: ["${repository}:1.1.0", "${repository}:latest"],
              imageId: 'sha256:' + '2' * 64, builtAt: '2026-12-01T10:00:00Z', pushed: ['1.1.0': digest, latest: digest]]
def output = new File(basedir, 'target/frankenphp')
output.mkdirs()
new File(output, 'image.json').text = JsonOutput.prettyPrint(JsonOutput.toJson(record)) + '\n'
return true
