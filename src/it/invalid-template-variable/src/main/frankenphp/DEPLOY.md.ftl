# Deploying [=image.repository]

Cluster: [=cluster.name]
