def log = new File(basedir, 'build.log').text
assert log.contains('Not exporting: Dockerfile was changed by hand since the last export (or not written by the plugin).')
assert log.contains('-Dfrankenphp.export=true -Dfrankenphp.force=true')
assert log.contains('The committed deployment files match the pom.')
assert log.contains('The committed deployment files differ from what the pom renders: DEPLOY.md, Dockerfile')
assert log.contains('-FROM dunglas/frankenphp:1-php8.4-bookworm AS base')
assert log.contains('+FROM dunglas/frankenphp:1-php8.5-bookworm AS base')
assert log.contains('Run: mvn frankenphp:generate -Dfrankenphp.export=true')

// The seed's layout in the project directory, with the last export's content.
['Dockerfile', 'docker-compose.prod.yml', 'Caddyfile', 'docker/php/php.ini', 'docker/laravel-entrypoint.sh', '.dockerignore', '.env.production.example', 'DEPLOY.md'].each {
    assert new File(basedir, it).isFile() : "not exported: ${it}"
}
assert new File(basedir, 'Dockerfile').text.contains('FROM dunglas/frankenphp:1-php8.5-bookworm AS base')
assert new File(basedir, '.frankenphp-export.sha256').readLines().size() == 8
assert !new File(basedir, '.env.production').exists() : 'the plugin must never write .env.production'
return true
