def out = new File(basedir, 'target/frankenphp')
def deploy = new File(out, 'DEPLOY.md').text
assert deploy.startsWith('# Our own deployment notes for registry.example.test/team/override-template')
assert deploy.contains('Workers: 4.')
def entrypoint = new File(out, 'docker/entrypoint.sh').text
assert entrypoint.contains("echo 'starting registry.example.test/team/override-template:latest '\\''as'\\'' \$USER'")
// The other files are still the built-in ones.
assert new File(out, 'Dockerfile').text.contains('--workers=4')
def log = new File(basedir, 'build.log').text
assert log.contains('Rendered 9 deployment files')
// The project has no .gitignore: the plugin warns that .env.production could be committed.
assert log.contains('.env.production is not listed in .gitignore')
return true
