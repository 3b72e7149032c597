// Publish a previous "latest" with the docker CLI, to prove a failed deploy leaves it alone.
def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
def image = "${support.registry}/it/wrong-password:latest".toString()
def config = java.nio.file.Files.createTempDirectory('docker-config').toString()
def env = ["DOCKER_CONFIG=${config}".toString(), "PATH=${System.getenv('PATH')}".toString()]
def login = ['docker', 'login', '-u', 'frankenphp-it', '--password-stdin', support.registry].execute(env, null)
login.withWriter { it << support.password() }
login.waitFor()
assert login.exitValue() == 0
assert support.sh(['docker', 'tag', 'composer:2', image]).exit == 0
assert ['docker', 'push', image].execute(env, null).waitFor() == 0
new File(config).deleteDir()
new File(basedir, 'previous-latest.txt').text = support.manifestDigest('it/wrong-password', 'latest')
return true
