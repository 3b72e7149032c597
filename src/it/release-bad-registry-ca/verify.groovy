def log = new File(basedir, 'build.log').text
def caFile = new File(basedir, "certs.d/${itRegistry}/ca.crt").path
assert log.contains("Cannot read the registry CA certificate ${caFile}") || log.contains("${caFile} holds no PEM certificate") :
        'the failure names the CA file'
assert log.contains('Fix or remove that file') : 'and what to do'
assert !log.contains('Cannot reach the Docker engine') : 'the production engine was not contacted'
assert !log.contains('Production engine:') : 'the production engine was not contacted'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true
