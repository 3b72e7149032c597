// <image><startup>: routeCache and storageLink off in the pom, eventCache by a pom property, viewCache
// on the command line; configCache keeps its default (on). /up as the health path (<octane><healthPath>).
def out = new File(basedir, 'target/frankenphp')
def entrypoint = new File(out, 'docker/laravel-entrypoint.sh').text
def steps = entrypoint.readLines().findAll { it ==~ /^\s*step .*/ }.collect { it.trim() }
assert steps == ['step config:cache'] : "steps: ${steps}"
assert entrypoint.readLines().last() == 'exec "$@"'

def dockerfile = new File(out, 'Dockerfile').text
assert dockerfile.contains('COPY docker/laravel-entrypoint.sh /usr/local/bin/laravel-entrypoint')
assert dockerfile.contains('ENTRYPOINT ["/usr/local/bin/laravel-entrypoint"]')
assert !dockerfile.contains('storage:link') : 'storageLink=false: no link in the build'
assert dockerfile.contains('"http://127.0.0.1:80/up"]')
assert new File(out, 'docker-compose.prod.yml').text.contains('"http://127.0.0.1:80/up"')
return true
