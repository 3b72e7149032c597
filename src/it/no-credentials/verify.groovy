def log = new File(basedir, 'build.log').text
assert log.contains('No credentials for the registry registry.frankenphp.test:5443. Looked in: ')
assert log.contains("Add a <server> with <id>no-such-server</id> to ~/.m2/settings.xml, or set FRANKENPHP_REGISTRY_USERNAME and FRANKENPHP_REGISTRY_PASSWORD, or run docker login registry.frankenphp.test:5443.")
assert !log.contains('Building registry.frankenphp.test')
return true
