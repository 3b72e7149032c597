// Files outside the template directories: in the project, and outside the project.
new File(basedir, 'outside-secret.txt').text = 'OUTSIDE-TEMPLATE-CANARY-1\n'
new File(basedir, '../fault-template-read-outside-secret.txt').text = 'OUTSIDE-TEMPLATE-CANARY-2\n'
def link = new File(basedir, 'src/main/frankenphp-link/linked-secret.txt').toPath()
java.nio.file.Files.deleteIfExists(link)
java.nio.file.Files.createSymbolicLink(link, new File(basedir, 'outside-secret.txt').toPath())
return true
