def log = new File(basedir, 'build.log').text
assert log.contains('Cannot reach the Docker daemon at tcp://127.0.0.1:9 (DOCKER_HOST): ')
assert log.contains('Start Docker, or point the plugin at another daemon with DOCKER_HOST')
assert !log.contains('\tat com.github') : 'a stack trace is never the message'
return true
