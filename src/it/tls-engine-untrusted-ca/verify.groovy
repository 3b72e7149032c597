def log = new File(basedir, 'build.log').text
assert log.contains('Cannot reach the Docker daemon at tcp://127.0.0.1:2376 (DOCKER_HOST): ')
assert log.contains('the TLS handshake failed: ')
assert log.contains("The client certificates come from ${new File(basedir, 'untrusted-certs').absolutePath} (DOCKER_CERT_PATH") : 'the message names the certificate directory'
assert log.contains('ca.pem must be the CA that issued the daemon')
assert !log.contains('\tat com.github') && !log.contains('\tat sun.security') : 'a stack trace is never the message'
assert !new File(basedir, 'target/frankenphp/image.json').exists() : 'nothing was built'
return true
