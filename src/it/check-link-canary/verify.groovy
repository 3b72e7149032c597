def log = new File(basedir, 'build.log').text
assert log.findAll(/\[DEBUG\]/).size() > 100 : 'the invocation must run with -X'
assert log.contains('The committed deployment files differ from what the pom renders: ')
assert log.contains('Dockerfile is a symbolic link, not read')
assert log.contains('DEPLOY.md is a symbolic link, not read')
assert log.contains('-Dfrankenphp.force=true')

// Neither the environment (the canary password, or any FRANKENPHP_ variable) nor the config.json behind the link.
assert !log.contains('CanaryEnvironPw-4c2e81') : 'the environment behind the Dockerfile link was printed'
assert !log.contains('CanaryDockerAuth-b7d350') : 'the config.json behind the DEPLOY.md link was printed'
assert !log.contains('/proc/self/environ') && !log.contains('check-link-canary-support') : 'a link target was printed'
// The links are still links: check writes nothing.
assert java.nio.file.Files.isSymbolicLink(new File(basedir, 'Dockerfile').toPath())
return true
