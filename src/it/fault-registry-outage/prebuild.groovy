// A previous release's latest on the registry, then the fault proxy: the first two uploads of the latest
// manifest are cut after 100 bytes (the daemon never retries a manifest upload: these are the plugin's tries).
def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
def image = "${support.registry}/it/fault-registry-outage:latest".toString()
def config = java.nio.file.Files.createTempDirectory('docker-config').toString()
def env = ["DOCKER_CONFIG=${config}".toString(), "PATH=${System.getenv('PATH')}".toString()]
def docker = { List<String> command, String input = null ->
    def process = command.execute(env, null)
    def out = new StringBuilder()
    process.withWriter { if (input != null) it << input }
    process.waitForProcessOutput(out, out)
    [exit: process.exitValue(), out: out.toString()]
}
def login = docker(['docker', 'login', '-u', 'frankenphp-it', '--password-stdin', support.registry], support.password())
assert login.exit == 0 : login.out
assert support.sh(['docker', 'tag', 'composer:2', image]).exit == 0
def push = docker(['docker', 'push', image])
assert push.exit == 0 : push.out
new File(config).deleteDir()
new File(basedir, 'previous-latest.txt').text = support.manifestDigest('it/fault-registry-outage', 'latest')

def proxy = evaluate(new File(basedir, '../../../src/it/fault-common/proxy.groovy'))
proxy.cutBody('PUT', '/v2/.+/manifests/latest', 100, 2)
return true
