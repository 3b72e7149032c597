def log = new File(basedir, 'build.log').text
assert log.contains('<octane><port> = \'70000\': use a port between 1 and 65535') : "build.log lacks: <octane><port> = '70000': use a port between 1 and 65535"
assert log.contains('<compose><publishedPort> = \'0\': use a port between 1 and 65535') : "build.log lacks: <compose><publishedPort> = '0': use a port between 1 and 65535"
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true
