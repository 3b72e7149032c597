def log = new File(basedir, 'build.log').text
assert log.contains('Cannot reach the Docker daemon at unix:///tmp/frankenphp-it-no-such-docker.sock (DOCKER_HOST)')
assert !log.contains('localhost:2375') : 'docker-java\'s stand-in address reached the log'
assert !log.contains('recoverable I/O exception') : 'docker-java\'s HTTP client reached the log'
assert !log.contains('SLF4J') : 'no logging-framework warning'
assert !log.contains('\tat com.github') : 'a stack trace is never the message'
// The plugin's own lines are there at INFO: the render, and which daemon it tried and how it found it.
assert log.contains('[INFO] Rendered ')
return true
