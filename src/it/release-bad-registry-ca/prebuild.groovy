// certs.d/<registry host:port>/ca.crt as the Docker CLI would read it, with no certificate in it (made here: a
// directory name with a colon does not belong in the repository).
def directory = new File(basedir, "certs.d/${itRegistry}")
directory.mkdirs()
new File(directory, 'ca.crt').text = 'not a certificate\n'
return true
